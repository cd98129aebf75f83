import {
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import {
  callKeyShareText,
  linkCertificateText,
  linkRequestText,
  loginChallengeText,
  memberKeyShareText,
  registerChallengeText,
  resumeChallengeText,
  serverOrigin,
  type CallKeyShareInput,
  type ClientMessage,
  type ContactPin,
  type LinkCertificateInput,
  type MemberKeyShareInput,
  type ServerMessage,
  type ServerMessageOf,
  type StoredAccount,
} from '../../../protocol';
import type { Host } from '../../../renderer/host/Host';
import type { NotificationHandlers } from '../../../renderer/signaling/serverMessageHandlers';
import type { SocketEvents, SocketOpener } from '../../../renderer/signaling/SignalingSocket';

/**
 * One end of the small socket port, driven by the test as if it were the server. It answers
 * `ping` at once, as the server does, unless told to play dead.
 */
export class FakeSocket {
  readonly received: ClientMessage[] = [];
  closed = false;
  answersPings = true;
  constructor(private readonly events: SocketEvents) {}
  send(text: string) {
    const message = JSON.parse(text) as ClientMessage;
    this.received.push(message);
    if (message.type === 'ping' && this.answersPings) {
      setImmediate(() => this.closed || this.push({ v: 1, type: 'ok', re: message.id }));
    }
  }
  /** The messages of one type this socket received, in order. */
  sent<T extends ClientMessage['type']>(type: T) {
    return this.received.filter((m) => m.type === type) as Extract<ClientMessage, { type: T }>[];
  }
  close() {
    this.closed = true;
  }
  open() {
    this.events.onOpen();
  }
  push(message: ServerMessage | string) {
    this.events.onMessage(typeof message === 'string' ? message : JSON.stringify(message));
  }
  /** The connection closes: dropped (1006), or closed by the server with its code. */
  drop(code = 1006) {
    this.events.onClose(code);
  }
}

export class FakeServer {
  readonly sockets: FakeSocket[] = [];
  /** False: new sockets never open, like a server that cannot be reached. */
  reachable = true;
  readonly opener: SocketOpener = (_url, events) => {
    const socket = new FakeSocket(events);
    this.sockets.push(socket);
    if (this.reachable) setImmediate(() => socket.closed || socket.open());
    return socket;
  };
  get latest(): FakeSocket {
    const socket = this.sockets.at(-1);
    if (!socket) throw new Error('no socket opened');
    return socket;
  }
  /** Waits until the latest socket received a message of this type, and returns it. */
  async next<T extends ClientMessage['type']>(type: T, after = 0) {
    for (let i = 0; i < 200; i += 1) {
      const socket = this.sockets.at(-1);
      const found = socket?.received.slice(after).find((m) => m.type === type);
      if (found) return found as Extract<ClientMessage, { type: T }>;
      await new Promise((resolve) => setImmediate(resolve));
    }
    throw new Error(`client never sent ${type}`);
  }

  /**
   * Waits for the client's hello (the first after message `after` of the latest socket) and
   * answers it with a challenge; returns the nonce.
   */
  async answerHello(nonce = b64(), after = 0): Promise<string> {
    const hello = await this.next('hello', after);
    this.latest.push({
      v: 1,
      type: 'auth.challenge',
      re: hello.id,
      nonce,
      expiresAt: Date.now() + 60_000,
    });
    return nonce;
  }
}

/** A real Host implementation on Node's Ed25519, so signatures can be verified like the server does. */
export class NodeHost implements Host {
  readonly kind = 'web';
  readonly deviceName = 'Test device';
  account: StoredAccount | null = null;
  pins: ContactPin[] = [];
  private keys: { publicKey: KeyObject; privateKey: KeyObject } | null = null;
  /** The server this host's page would connect to (a real server's, in tests that run one). */
  url = 'ws://127.0.0.1:1/ws';
  async serverUrl() {
    return this.url;
  }
  async getAccount() {
    return this.account;
  }
  async setAccount(account: StoredAccount) {
    this.account = account;
  }
  async clearAccount() {
    this.account = null;
  }
  async getIdentityPublicKey() {
    if (!this.keys) return null;
    const jwk = this.keys.publicKey.export({ format: 'jwk' });
    return Buffer.from(jwk.x as string, 'base64url').toString('base64');
  }
  async createIdentity() {
    this.keys = generateKeyPairSync('ed25519');
    return (await this.getIdentityPublicKey()) as string;
  }
  /** The origin this host signs into sign-in texts: its server URL's. */
  get origin() {
    return serverOrigin(this.url);
  }
  async signRegisterChallenge(nonce: string, username: string) {
    const identityKey = (await this.getIdentityPublicKey()) as string;
    return this.sign(registerChallengeText({ origin: this.origin, nonce, username, identityKey }));
  }
  async signLoginChallenge(nonce: string, username: string, deviceId: string) {
    return this.sign(loginChallengeText({ origin: this.origin, nonce, username, deviceId }));
  }
  async signResumeChallenge(nonce: string, sessionId: string) {
    return this.sign(resumeChallengeText({ origin: this.origin, nonce, sessionId }));
  }
  async signCallKeyShare(input: CallKeyShareInput) {
    const signedAt = Date.now();
    return { signature: await this.sign(callKeyShareText({ ...input, signedAt })), signedAt };
  }
  async signMemberKeyShare(input: MemberKeyShareInput) {
    const signedAt = Date.now();
    return { signature: await this.sign(memberKeyShareText({ ...input, signedAt })), signedAt };
  }
  async signLinkRequest(nonce: string) {
    const identityKey = (await this.getIdentityPublicKey()) as string;
    return this.sign(linkRequestText({ origin: this.origin, nonce, identityKey }));
  }
  async signLinkCertificate(input: LinkCertificateInput) {
    return this.sign(linkCertificateText(input));
  }
  async getPins() {
    return [...this.pins];
  }
  async putPin(pin: ContactPin) {
    this.pins = [...this.pins.filter((p) => p.username !== pin.username), pin];
  }
  verify(text: string, signature: string) {
    if (!this.keys) return false;
    return verify(null, Buffer.from(text), this.keys.publicKey, Buffer.from(signature, 'base64'));
  }
  private sign(text: string) {
    if (!this.keys) throw new Error('no key');
    return sign(null, Buffer.from(text), this.keys.privateKey).toString('base64');
  }
}

/** Whether `signature` over `text` verifies with `identityKey` (raw, base64), as the server checks it. */
export function verifiesWith(identityKey: string, text: string, signature: string): boolean {
  const key = createPublicKey({
    key: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(identityKey, 'base64').toString('base64url'),
    },
    format: 'jwk',
  });
  return verify(null, Buffer.from(text), key, Buffer.from(signature, 'base64'));
}

export const b64 = () => randomBytes(32).toString('base64');

/** The fields a `session` reply carries besides who signed in: a new stream, no TURN, no calls. */
export function sessionExtras(stream: Partial<ServerMessageOf<'session'>['stream']> = {}) {
  return {
    ice: { servers: [], expiresAt: null },
    stream: { id: 'stream_0001', resumed: false, received: 0, ...stream },
    calls: [] as ServerMessageOf<'session'>['calls'],
  };
}

/** The server's `session` reply to request `re`: `user` signed in on `deviceId` for an hour. */
export function sessionReply(
  re: string,
  user: ServerMessageOf<'session'>['user'],
  deviceId: string,
  {
    sessionId = b64(),
    stream = {},
  }: { sessionId?: string; stream?: Parameters<typeof sessionExtras>[0] } = {},
): ServerMessageOf<'session'> {
  return {
    v: 1,
    type: 'session',
    re,
    sessionId,
    expiresAt: Date.now() + 3_600_000,
    user,
    deviceId,
    ...sessionExtras(stream),
  };
}

/** Notification handlers that only note which message types arrived. */
export function recordingApp(
  seen: string[] = [],
  overrides: Partial<NotificationHandlers> = {},
): NotificationHandlers {
  const note = (type: string) => () => void seen.push(type);
  return {
    presence: note('presence'),
    'contact.renamed': note('contact.renamed'),
    'ice.servers': note('ice.servers'),
    'calllog.changed': note('calllog.changed'),
    'link.approved': note('link.approved'),
    'link.rejected': note('link.rejected'),
    'session.revoked': note('session.revoked'),
    error: note('error'),
    call: (message) => void seen.push(message.type),
    room: (message) => void seen.push(message.type),
    ...overrides,
  };
}

/** Plays the server's side of register: challenge, then a session for whatever was asked. */
export async function serveRegister(server: FakeServer, nonce = b64()) {
  await server.answerHello(nonce);
  const register = await server.next('auth.register');
  const sessionId = b64();
  const user = { username: register.username, displayName: register.displayName };
  server.latest.push(sessionReply(register.id, user, 'device_0001', { sessionId }));
  return { nonce, register, sessionId };
}
