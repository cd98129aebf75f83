import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import WebSocket from 'ws';
import {
  loginChallengeText,
  registerChallengeText,
  ServerMessage,
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

type Predicate = (message: ServerMessage) => boolean;

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
  token = '';
  private waiters: { predicate: Predicate; resolve: (m: ServerMessage) => void }[] = [];
  private nextId = 1;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const parsed = ServerMessage.safeParse(JSON.parse(data.toString()));
      if (!parsed.success) {
        this.invalid.push(JSON.parse(data.toString()));
        return;
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

  static async connect(wsUrl: string): Promise<TestClient> {
    const socket = new WebSocket(wsUrl);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    return new TestClient(socket);
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
  nextOf<T extends ServerMessageType>(type: T, callId?: string): Promise<ServerMessageOf<T>> {
    return this.next(
      (m) => m.type === type && (callId === undefined || ('callId' in m && m.callId === callId)),
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
      signature: signText(this.keys, registerChallengeText(nonce, username, this.keys.identityKey)),
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
      signature: signText(keys, loginChallengeText(nonce, username, deviceId)),
    });
    this.remember(reply);
    return reply;
  }

  /** Resolves with everything received within `ms` that matches (for "nothing arrives" checks). */
  async collect(ms: number, predicate: Predicate = () => true): Promise<ServerMessage[]> {
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.inbox.filter(predicate);
  }

  close(): Promise<{ code: number; reason: string }> {
    this.socket.close();
    return this.closed;
  }

  private remember(reply: ServerMessage): void {
    if (reply.type !== 'session') return;
    this.deviceId = reply.deviceId;
    this.username = reply.user.username;
    this.token = reply.token;
  }
}
