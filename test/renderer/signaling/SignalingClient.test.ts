import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import {
  loginChallengeText,
  registerChallengeText,
  type ClientMessage,
  type ServerMessage,
  type StoredAccount,
} from '../../../protocol';
import type { Host } from '../../../renderer/host/Host';
import { registerDevice, signIn } from '../../../renderer/signaling/authFlow';
import { SignalingClient } from '../../../renderer/signaling/SignalingClient';
import type { NotificationHandlers } from '../../../renderer/signaling/serverMessageHandlers';
import type { SocketEvents, SocketOpener } from '../../../renderer/signaling/SignalingSocket';

/** One end of the small socket port, driven by the test as if it were the server. */
class FakeSocket {
  readonly received: ClientMessage[] = [];
  closed = false;
  constructor(private readonly events: SocketEvents) {}
  send(text: string) {
    this.received.push(JSON.parse(text) as ClientMessage);
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
  drop() {
    this.events.onClose();
  }
}

class FakeServer {
  readonly sockets: FakeSocket[] = [];
  readonly opener: SocketOpener = (_url, events) => {
    const socket = new FakeSocket(events);
    this.sockets.push(socket);
    setImmediate(() => socket.open());
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
}

/** A real Host implementation on Node's Ed25519, so signatures can be verified like the server does. */
class NodeHost implements Host {
  readonly kind = 'web';
  readonly deviceName = 'Test device';
  account: StoredAccount | null = null;
  token: string | null = null;
  private keys: { publicKey: KeyObject; privateKey: KeyObject } | null = null;
  async serverUrl() {
    return 'ws://127.0.0.1:1/ws';
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
  async signRegisterChallenge(nonce: string, username: string) {
    const key = (await this.getIdentityPublicKey()) as string;
    return this.sign(registerChallengeText(nonce, username, key));
  }
  async signLoginChallenge(nonce: string, username: string, deviceId: string) {
    return this.sign(loginChallengeText(nonce, username, deviceId));
  }
  async getSessionToken() {
    return this.token;
  }
  async setSessionToken(token: string | null) {
    this.token = token;
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

const b64 = () => randomBytes(32).toString('base64');
const alice = { username: 'alice', displayName: 'Alice' };

function silentApp(seen: string[] = []): NotificationHandlers {
  const note = (type: string) => () => void seen.push(type);
  return {
    presence: note('presence'),
    'call.invite': note('call.invite'),
    'call.ringing': note('call.ringing'),
    'call.accept': note('call.accept'),
    'call.decline': note('call.decline'),
    'call.busy': note('call.busy'),
    'call.cancel': note('call.cancel'),
    'call.timeout': note('call.timeout'),
    'call.hangup': note('call.hangup'),
    'call.ice': note('call.ice'),
    'call.media': note('call.media'),
    error: note('error'),
  };
}

function setup(options: { timeoutMs?: number; seen?: string[] } = {}) {
  const server = new FakeServer();
  const host = new NodeHost();
  const events = { sessions: 0, disconnects: 0 };
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: silentApp(options.seen),
    requestTimeoutMs: options.timeoutMs ?? 2_000,
    delayForAttempt: () => 0,
    onSession: () => void (events.sessions += 1),
    onDisconnected: () => void (events.disconnects += 1),
  });
  return { server, host, client, events };
}

/** Plays the server's side of register: challenge, then a session for whatever was asked. */
async function serveRegister(server: FakeServer, nonce = b64()) {
  const hello = await server.next('hello');
  server.latest.push({
    v: 1,
    type: 'auth.challenge',
    re: hello.id,
    nonce,
    expiresAt: Date.now() + 60_000,
  });
  const register = await server.next('auth.register');
  const token = b64();
  server.latest.push({
    v: 1,
    type: 'session',
    re: register.id,
    token,
    expiresAt: Date.now() + 3_600_000,
    user: { username: register.username, displayName: register.displayName },
    deviceId: 'device_0001',
  });
  return { nonce, register, token };
}

describe('SignalingClient', () => {
  test('first run registers with a signature over the challenge and remembers the account', async () => {
    const { server, host, client, events } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    expect(client.state.value).toBe('connecting');
    const { nonce, register, token } = await serveRegister(server);
    const session = await started;

    expect(session.user).toEqual(alice);
    expect(client.state.value).toBe('online');
    expect(events.sessions).toBe(1);
    expect(register.deviceName).toBe('Test device');
    expect(
      host.verify(registerChallengeText(nonce, 'alice', register.identityKey), register.signature),
    ).toBe(true);
    expect(host.account).toEqual({ ...alice, deviceId: 'device_0001' });
    expect(host.token).toBe(token);
    client.stop();
  });

  test('concurrent requests are matched to their replies by id, whatever the order', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;

    const contacts = client.request('contacts.list', {});
    const lookup = client.request('user.lookup', { username: 'bob' });
    const listed = await server.next('contacts.list');
    const looked = await server.next('user.lookup');
    server.latest.push({
      v: 1,
      type: 'user',
      re: looked.id,
      username: 'bob',
      displayName: 'Bob',
      presence: 'online',
    });
    server.latest.push({ v: 1, type: 'contacts', re: listed.id, contacts: [] });

    await expect(lookup).resolves.toMatchObject({ displayName: 'Bob' });
    await expect(contacts).resolves.toMatchObject({ contacts: [] });
    client.stop();
  });

  test('a request the server never answers fails with timeout', async () => {
    const { server, host, client } = setup({ timeoutMs: 40 });
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    await expect(client.request('calllog.list', { limit: 5 })).rejects.toMatchObject({
      code: 'timeout',
    });
    expect(client.state.value).toBe('online');
    client.stop();
  });

  test('invalid JSON and schema violations from the server are dropped; the client keeps working', async () => {
    const seen: string[] = [];
    const { server, host, client } = setup({ seen });
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    server.latest.push('{not json');
    server.latest.push('{"v":1,"type":"presence","username":"bob","presence":"dancing"}');
    server.latest.push('{"v":2,"type":"presence","username":"bob","presence":"online"}');
    expect(warn).toHaveBeenCalledTimes(3);
    warn.mockRestore();
    server.latest.push({ v: 1, type: 'presence', username: 'bob', presence: 'online' });
    expect(seen).toEqual(['presence']);
    client.stop();
  });

  test('refuses to send a message the protocol does not allow, and sends nothing', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    const before = server.latest.received.length;
    await expect(client.request('user.lookup', { username: 'Not Valid!' })).rejects.toThrow(
      /username/,
    );
    expect(server.latest.received.length).toBe(before);
    client.stop();
  });

  test('a dropped connection fails pending requests, then reconnects and logs in again', async () => {
    const { server, host, client, events } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    await serveRegister(server);
    await started;
    host.token = null; // as on the web: no stored session, so the reconnect answers a challenge

    const pending = client.request('contacts.list', {});
    server.latest.drop();
    await expect(pending).rejects.toMatchObject({ code: 'disconnected' });
    expect(events.disconnects).toBe(1);
    expect(client.notify('call.ringing', { callId: '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f' })).toBe(
      false,
    );

    await new Promise((resolve) => setImmediate(resolve));
    expect(server.sockets).toHaveLength(2);
    const hello = await server.next('hello');
    const nonce = b64();
    server.latest.push({
      v: 1,
      type: 'auth.challenge',
      re: hello.id,
      nonce,
      expiresAt: Date.now() + 60_000,
    });
    const login = await server.next('auth.login');
    expect(login).toMatchObject({ username: 'alice', deviceId: 'device_0001', nonce });
    expect(host.verify(loginChallengeText(nonce, 'alice', 'device_0001'), login.signature)).toBe(
      true,
    );
    server.latest.push({
      v: 1,
      type: 'session',
      re: login.id,
      token: b64(),
      expiresAt: Date.now() + 3_600_000,
      user: alice,
      deviceId: 'device_0001',
    });
    for (let i = 0; i < 50 && client.state.value !== 'online'; i += 1) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(client.state.value).toBe('online');
    expect(events.sessions).toBe(2);
    client.stop();
  });

  test('a stored session token is resumed; a refused one falls back to a signed login', async () => {
    const { server, host, client } = setup();
    await host.createIdentity();
    host.account = { ...alice, deviceId: 'device_0001' };
    host.token = b64();
    const started = client.start(signIn(host), signIn(host));
    const hello = await server.next('hello');
    const nonce = b64();
    server.latest.push({
      v: 1,
      type: 'auth.challenge',
      re: hello.id,
      nonce,
      expiresAt: Date.now() + 60_000,
    });
    const resume = await server.next('session.resume');
    server.latest.push({
      v: 1,
      type: 'error',
      re: resume.id,
      code: 'session_invalid',
      message: 'expired',
    });
    const login = await server.next('auth.login');
    expect(login.nonce).toBe(nonce);
    const token = b64();
    server.latest.push({
      v: 1,
      type: 'session',
      re: login.id,
      token,
      expiresAt: Date.now() + 3_600_000,
      user: alice,
      deviceId: 'device_0001',
    });
    await expect(started).resolves.toMatchObject({ token });
    expect(host.token).toBe(token);
    client.stop();
  });

  test('a refused registration rejects start and does not reconnect', async () => {
    const { server, host, client } = setup();
    const started = client.start(registerDevice(host, alice), signIn(host));
    const hello = await server.next('hello');
    server.latest.push({
      v: 1,
      type: 'auth.challenge',
      re: hello.id,
      nonce: b64(),
      expiresAt: Date.now() + 60_000,
    });
    const register = await server.next('auth.register');
    server.latest.push({
      v: 1,
      type: 'error',
      re: register.id,
      code: 'username_taken',
      message: 'That username is taken.',
    });
    await expect(started).rejects.toMatchObject({ code: 'username_taken' });
    expect(client.state.value).toBe('offline');
    expect(server.latest.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(server.sockets).toHaveLength(1);
    expect(host.account).toBeNull();
  });
});
