import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import {
  callKeyShareText,
  linkCertificateText,
  linkRequestText,
  loginChallengeText,
  memberKeyShareText,
  registerChallengeText,
  resumeChallengeText,
  serverOrigin,
  ServerMessage,
  type CallMedia,
  type CallRole,
  type KeyShare,
  type MemberKeyShare,
  type ServerMessageOf,
  type ServerMessageType,
} from '../../../protocol';

/** An Ed25519 device identity as a client holds it. */
export interface DeviceKeys {
  privateKey: KeyObject;
  /** Raw 32-byte public key, base64. */
  identityKey: string;
}

export function newDeviceKeys(): DeviceKeys {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x as string;
  return { privateKey, identityKey: Buffer.from(x, 'base64url').toString('base64') };
}

export function signText(keys: DeviceKeys, text: string): string {
  return sign(null, Buffer.from(text, 'utf8'), keys.privateKey).toString('base64');
}

/** A fresh X25519 public key, raw 32 bytes base64, as a per-call ephemeral key. */
export function newEphemeralKey(): string {
  const x = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' }).x as string;
  return Buffer.from(x, 'base64url').toString('base64');
}

/** A fake but well-formed DTLS fingerprint, as an SDP's `a=fingerprint` line carries it. */
export function fakeFingerprint(): string {
  const pairs = [...randomBytes(32)].map((b) => b.toString(16).toUpperCase().padStart(2, '0'));
  return `sha-256 ${pairs.join(':')}`;
}

type Predicate = (message: ServerMessage) => boolean;

/** A session to resume: its id and the keys of its device, which sign the resume. */
export interface ResumableSession {
  sessionId: string;
  keys: DeviceKeys;
}

/**
 * The server origin a connection's sign-in texts name: the URL's scheme, and the `Host` header
 * sent instead of the URL's host when a test sets one.
 */
function originOf(wsUrl: string, headers: Record<string, string>): string {
  const host = Object.entries(headers).find(([name]) => name.toLowerCase() === 'host')?.[1];
  if (host === undefined) return serverOrigin(wsUrl);
  return serverOrigin(`${new URL(wsUrl).protocol}//${host}`);
}

/**
 * A tiny signaling client over a real WebSocket for integration tests. Every message the server
 * sends is checked against the protocol's ServerMessage schema before a test sees it.
 */
export class TestClient {
  readonly inbox: ServerMessage[] = [];
  readonly invalid: unknown[] = [];
  keys: DeviceKeys = newDeviceKeys();
  deviceId = '';
  username = '';
  sessionId = '';
  /** The notice stream of the last sign-in, and the last server notice `seq` seen in it. */
  streamId = '';
  lastSeq = 0;
  private waiters: { predicate: Predicate; resolve: (m: ServerMessage) => void }[] = [];
  private nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(
    readonly socket: WebSocket,
    /** The server origin this client signs its sign-in texts for. */
    readonly origin: string,
  ) {
    socket.on('message', (data) => {
      const parsed = ServerMessage.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) {
        this.invalid.push(JSON.parse(data.toString()));
        return;
      }
      const message = parsed.data;
      if ('seq' in message && message.type !== 'ack') {
        this.lastSeq = Math.max(this.lastSeq, message.seq ?? 0);
      }
      const waiter = this.waiters.find((w) => w.predicate(parsed.data));
      if (waiter) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(parsed.data);
      } else {
        this.inbox.push(parsed.data);
      }
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  /** Opens a connection; `headers` go on the upgrade request (Origin, X-Forwarded-For, Host). */
  static async connect(
    wsUrl: string,
    headers: Record<string, string> = {},
    options: WebSocket.ClientOptions = {},
  ): Promise<TestClient> {
    const socket = new WebSocket(wsUrl, { ...options, headers });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new TestClient(socket, originOf(wsUrl, headers));
  }

  newId(): string {
    return `r${this.nextId++}`;
  }

  send(message: object): void {
    this.socket.send(JSON.stringify(message));
  }

  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  /** The first message (already received or still to come) that matches. */
  next(predicate: Predicate = () => true, timeoutMs = 3000): Promise<ServerMessage> {
    const index = this.inbox.findIndex(predicate);
    if (index >= 0) return Promise.resolve(this.inbox.splice(index, 1)[0]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (m: ServerMessage) => {
          clearTimeout(timer);
          resolve(m);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(
          new Error(
            `no matching message within ${timeoutMs} ms; inbox: ${JSON.stringify(this.inbox)}`,
          ),
        );
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** The next message of this type (optionally for this call). */
  nextOf<T extends ServerMessageType>(
    type: T,
    callId?: string,
    timeoutMs?: number,
  ): Promise<ServerMessageOf<T>> {
    return this.next(
      (m) => m.type === type && (callId === undefined || ('callId' in m && m.callId === callId)),
      timeoutMs,
    ) as Promise<ServerMessageOf<T>>;
  }

  /** Sends a request (an `id` is added) and waits for the reply carrying `re`. */
  async request(message: Record<string, unknown>): Promise<ServerMessage> {
    const id = this.newId();
    this.send({ v: 1, ...message, id });
    return this.next((m) => 're' in m && m.re === id);
  }

  async challenge(): Promise<string> {
    const reply = await this.request({ type: 'hello', client: 'test' });
    if (reply.type !== 'auth.challenge')
      throw new Error(`expected a challenge, got ${JSON.stringify(reply)}`);
    return reply.nonce;
  }

  async register(username: string, displayName = username.toUpperCase()): Promise<ServerMessage> {
    const nonce = await this.challenge();
    const reply = await this.request({
      type: 'auth.register',
      username,
      displayName,
      deviceName: 'test device',
      identityKey: this.keys.identityKey,
      nonce,
      signature: signText(
        this.keys,
        registerChallengeText({
          origin: this.origin,
          nonce,
          username,
          identityKey: this.keys.identityKey,
        }),
      ),
    });
    this.remember(reply);
    return reply;
  }

  async login(username: string, deviceId: string, keys = this.keys): Promise<ServerMessage> {
    const nonce = await this.challenge();
    this.keys = keys;
    const reply = await this.request({
      type: 'auth.login',
      username,
      deviceId,
      nonce,
      signature: signText(
        keys,
        loginChallengeText({ origin: this.origin, nonce, username, deviceId }),
      ),
    });
    this.remember(reply);
    return reply;
  }

  /** A valid key share of this signed-in device for a call, signed with its identity key. */
  keyShare(role: CallRole, callId: string): KeyShare {
    const ephemeralKey = newEphemeralKey();
    const fingerprint = fakeFingerprint();
    const { username, deviceId } = this;
    const signedAt = Date.now();
    const text = callKeyShareText({
      role,
      callId,
      username,
      deviceId,
      ephemeralKey,
      fingerprint,
      signedAt,
    });
    return { ephemeralKey, fingerprint, signedAt, signature: signText(this.keys, text) };
  }

  /** A valid member share of this signed-in device for its slot in a group call. */
  memberShare(callId: string, slot: number, ephemeralKey = newEphemeralKey()): MemberKeyShare {
    const { username, deviceId } = this;
    const signedAt = Date.now();
    const text = memberKeyShareText({ callId, slot, username, deviceId, ephemeralKey, signedAt });
    return { ephemeralKey, slot, signedAt, signature: signText(this.keys, text) };
  }

  /** Negotiates group calls on this connection (`features` with `rooms`); resolves with the reply. */
  negotiateRooms(): Promise<ServerMessage> {
    return this.request({ type: 'features', features: ['rooms'] });
  }

  /** Sends `call.invite` with a valid key share and waits for the reply. */
  invite(
    callId: string,
    to: string,
    media: CallMedia = 'audio',
    sdp = 'offer',
  ): Promise<ServerMessage> {
    const keyShare = this.keyShare('caller', callId);
    return this.request({ type: 'call.invite', callId, to, media, sdp, keyShare });
  }

  /** Sends `call.accept` with a valid key share (a notice: no reply unless refused). */
  accept(callId: string, media: CallMedia = 'audio', sdp = 'answer'): KeyShare {
    const keyShare = this.keyShare('callee', callId);
    this.send({ v: 1, type: 'call.accept', callId, media, sdp, keyShare });
    return keyShare;
  }

  /** As a new device: asks for a link code, proving possession of this client's key. */
  async requestLink(deviceName = 'linked device'): Promise<ServerMessage> {
    const nonce = await this.challenge();
    return this.request({
      type: 'link.request',
      deviceName,
      identityKey: this.keys.identityKey,
      nonce,
      signature: signText(
        this.keys,
        linkRequestText({ origin: this.origin, nonce, identityKey: this.keys.identityKey }),
      ),
    });
  }

  /** As a signed-in device: looks the code up and approves it, certifying the key it shows. */
  async approveLink(code: string): Promise<ServerMessage> {
    const pending = await this.request({ type: 'link.lookup', code });
    if (pending.type !== 'link.pending') return pending;
    const certificate = linkCertificateText({
      username: this.username,
      identityKey: pending.identityKey,
      code: pending.code,
      expiresAt: pending.expiresAt,
    });
    return this.request({
      type: 'link.approve',
      code,
      signature: signText(this.keys, certificate),
    });
  }

  /** As a new device waiting for its link: resolves once approved, signed in as that device. */
  async linkApproved(): Promise<ServerMessageOf<'link.approved'>> {
    const approved = await this.nextOf('link.approved');
    this.deviceId = approved.deviceId;
    this.username = approved.user.username;
    this.sessionId = approved.sessionId;
    this.streamId = approved.stream.id;
    return approved;
  }

  /** Resolves with everything received within `ms` that matches (for "nothing arrives" checks). */
  async collect(ms: number, predicate: Predicate = () => true): Promise<ServerMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.inbox.filter(predicate);
  }

  /**
   * The reply to `session.resume` after a fresh challenge, signed with the session's device key
   * (another client's session, to resume it on this connection), naming a stream if given.
   */
  async resume(
    session: ResumableSession = this,
    stream?: { id: string; received: number },
  ): Promise<ServerMessage> {
    const nonce = await this.challenge();
    const { sessionId, keys } = session;
    const reply = await this.request({
      type: 'session.resume',
      sessionId,
      nonce,
      signature: signText(keys, resumeChallengeText({ origin: this.origin, nonce, sessionId })),
      ...(stream ? { stream } : {}),
    });
    if (reply.type === 'session') this.keys = keys;
    this.remember(reply);
    return reply;
  }

  /** Acknowledges every server notice up to `seq`. */
  ack(seq: number): void {
    this.send({ v: 1, type: 'ack', seq });
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }

  /** Ends the session (`session.end`) and closes: the device is gone at once, not away. */
  async signOut(): Promise<{ code: number; reason: string }> {
    await this.request({ type: 'session.end' });
    return this.close();
  }

  private remember(reply: ServerMessage): void {
    if (reply.type !== 'session') return;
    this.deviceId = reply.deviceId;
    this.username = reply.user.username;
    this.sessionId = reply.sessionId;
    this.streamId = reply.stream.id;
  }
}
