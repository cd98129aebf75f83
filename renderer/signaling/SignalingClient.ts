import { signal } from '@preact/signals';
import {
  ClientMessage,
  PROTOCOL_VERSION,
  ServerMessage,
  type ClientMessageOf,
  type ClientMessageType,
  type RequestType,
  type ServerMessageOf,
} from '../../protocol';
import { reconnectDelayMs } from './reconnectDelay';
import { RequestTracker, SignalingError, type ReplyOf } from './RequestTracker';
import {
  createServerMessageHandlers,
  type NotificationHandlers,
  type ServerMessageHandlers,
} from './serverMessageHandlers';
import type { SignalingSocket, SocketOpener } from './SignalingSocket';

export type ConnectionState = 'offline' | 'connecting' | 'online';
/** A signed-in session: from a `session` reply, or from `link.approved` on a newly linked device. */
export type SessionReply = Pick<
  ServerMessageOf<'session'>,
  'token' | 'expiresAt' | 'user' | 'deviceId' | 'ice'
>;

type RequestBody<T extends RequestType> = Omit<ClientMessageOf<T>, 'v' | 'type' | 'id'>;
export type NotificationType = Exclude<ClientMessageType, RequestType>;
type NotificationBody<T extends NotificationType> = Omit<ClientMessageOf<T>, 'v' | 'type'>;

export interface SignalingRequests {
  request<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ReplyOf<T>>;
}

/** Signs this connection in (register, login or resume) and returns the session. */
export type Authenticate = (requests: SignalingRequests) => Promise<SessionReply>;

export interface SignalingClientOptions {
  url: string;
  openSocket: SocketOpener;
  notifications: NotificationHandlers;
  requestTimeoutMs?: number;
  delayForAttempt?: (attempt: number) => number;
  /** Every successful sign-in, the first and each after a reconnect. */
  onSession?: (session: SessionReply) => void;
  /** A signed-in connection dropped; pending requests have failed already. */
  onDisconnected?: () => void;
  /** Signing in again after a reconnect was refused (account or device gone). */
  onAuthRejected?: (error: SignalingError) => void;
}

/** Errors of the connection itself, after which trying again may work. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof SignalingError &&
    (error.code === 'disconnected' || error.code === 'timeout' || error.code === 'internal')
  );
}

/**
 * The WebSocket to the signaling server: signs in, correlates requests with replies, validates
 * every incoming message against the protocol and routes it through one dispatch table, and
 * reconnects with backoff (signing in again) until stopped.
 */
export class SignalingClient implements SignalingRequests {
  readonly state = signal<ConnectionState>('offline');
  private readonly tracker: RequestTracker;
  private readonly handlers: ServerMessageHandlers;
  private socket: SignalingSocket | null = null;
  private socketOpen = false;
  private signedIn = false;
  private generation = 0;
  private attempt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private authenticate: Authenticate | null = null;
  private reauthenticate: Authenticate | null = null;
  private firstSession: {
    resolve(session: SessionReply): void;
    reject(error: unknown): void;
  } | null = null;

  constructor(private readonly options: SignalingClientOptions) {
    this.tracker = new RequestTracker(options.requestTimeoutMs ?? 10_000);
    this.handlers = createServerMessageHandlers(this.tracker, options.notifications);
  }

  /**
   * Connects and signs in with `first`; later reconnects sign in with `then`. Connection failures
   * are retried; the promise rejects only when the server refuses the sign-in.
   */
  start(first: Authenticate, then: Authenticate): Promise<SessionReply> {
    this.stop();
    this.authenticate = first;
    this.reauthenticate = then;
    const session = new Promise<SessionReply>((resolve, reject) => {
      this.firstSession = { resolve, reject };
    });
    this.connect();
    return session;
  }

  stop(): void {
    this.authenticate = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    if (this.closeSocket()) this.options.onDisconnected?.();
    this.state.value = 'offline';
  }

  get isSignedIn(): boolean {
    return this.signedIn;
  }

  request<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ReplyOf<T>> {
    const id = this.tracker.nextId();
    try {
      this.transmit({ v: PROTOCOL_VERSION, type, id, ...body });
    } catch (error) {
      return Promise.reject(error);
    }
    return this.tracker.track(id, type);
  }

  /** Sends a message that gets no reply; returns false when there is no connection. */
  notify<T extends NotificationType>(type: T, body: NotificationBody<T>): boolean {
    try {
      this.transmit({ v: PROTOCOL_VERSION, type, ...body });
      return true;
    } catch (error) {
      if (error instanceof SignalingError && error.code === 'disconnected') return false;
      throw error;
    }
  }

  private transmit(message: unknown): void {
    // Our own bug, not the server's problem: refuse to send what the protocol does not allow.
    const parsed = ClientMessage.parse(message);
    if (!this.socket || !this.socketOpen) {
      throw new SignalingError('disconnected', 'Not connected to the server');
    }
    this.socket.send(JSON.stringify(parsed));
  }

  private connect(): void {
    this.retryTimer = null;
    const generation = ++this.generation;
    this.state.value = 'connecting';
    const current = () => generation === this.generation;
    this.socket = this.options.openSocket(this.options.url, {
      onOpen: () => {
        if (!current()) return;
        this.socketOpen = true;
        void this.signIn(current);
      },
      onMessage: (text) => {
        if (current()) this.receive(text);
      },
      onClose: () => {
        if (current()) this.onSocketClosed();
      },
    });
  }

  private async signIn(current: () => boolean): Promise<void> {
    const authenticate = this.authenticate;
    if (!authenticate) return;
    try {
      const session = await authenticate(this);
      if (!current()) return;
      this.signedIn = true;
      this.attempt = 0;
      this.authenticate = this.reauthenticate;
      this.state.value = 'online';
      this.options.onSession?.(session);
      this.firstSession?.resolve(session);
      this.firstSession = null;
    } catch (error) {
      if (!current()) return;
      if (isTransient(error)) {
        this.onSocketClosed();
        return;
      }
      const first = this.firstSession;
      this.firstSession = null;
      this.stop();
      if (first) first.reject(error);
      else if (error instanceof SignalingError) this.options.onAuthRejected?.(error);
      else console.error('parley: sign-in failed', error);
    }
  }

  private receive(text: string): void {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      console.warn('parley: server sent invalid JSON');
      return;
    }
    const parsed = ServerMessage.safeParse(json);
    if (!parsed.success) {
      console.warn('parley: server message does not match the protocol', parsed.error.issues);
      return;
    }
    const handler = this.handlers[parsed.data.type] as (message: ServerMessage) => void;
    handler(parsed.data);
  }

  private onSocketClosed(): void {
    if (this.closeSocket()) this.options.onDisconnected?.();
    this.state.value = 'offline';
    if (!this.authenticate) return;
    const delay = (this.options.delayForAttempt ?? reconnectDelayMs)(this.attempt);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  /** Closes the current socket (its later events are ignored); returns whether it was signed in. */
  private closeSocket(): boolean {
    const socket = this.socket;
    const wasSignedIn = this.signedIn;
    this.generation += 1;
    this.socket = null;
    this.socketOpen = false;
    this.signedIn = false;
    this.tracker.failAll(new SignalingError('disconnected', 'The connection to the server closed'));
    socket?.close();
    return wasSignedIn;
  }
}
