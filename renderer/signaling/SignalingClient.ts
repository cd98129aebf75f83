import { signal } from '@preact/signals';
import {
  ClientMessage,
  CloseCode,
  PROTOCOL_VERSION,
  type Feature,
  ServerMessage,
  type ClientMessageOf,
  type ClientMessageType,
  type RequestType,
  type ServerMessageOf,
} from '../../protocol';
import { NoticeStream, type StreamPosition, type StreamState } from './NoticeStream';
import { reconnectDelayMs } from './reconnectDelay';
import { RequestTracker, SignalingError, type ReplyOf } from './RequestTracker';
import { isPressureClose } from './serverCloses';
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
  'sessionId' | 'expiresAt' | 'user' | 'deviceId' | 'ice' | 'stream' | 'calls'
>;

type RequestBody<T extends RequestType> = Omit<ClientMessageOf<T>, 'v' | 'type' | 'id'>;
/** What the app may send without a reply: the notices (`ack` belongs to this layer). */
export type NotificationType = Exclude<ClientMessageType, RequestType | 'ack'>;
type NotificationBody<T extends NotificationType> = Omit<ClientMessageOf<T>, 'v' | 'type' | 'seq'>;
type ClientNotice = ClientMessageOf<NotificationType>;

export interface SignalingRequests {
  request<T extends RequestType>(type: T, body: RequestBody<T>): Promise<ReplyOf<T>>;
}

/**
 * The session a reconnect may continue, and the notice stream within it. Kept in memory only: a
 * session id is no credential (resuming takes the device's signature), and a restarted app has
 * no stream to continue, so it logs in.
 */
export interface ResumePoint {
  sessionId: string;
  stream: StreamPosition | null;
}

/**
 * Signs this connection in (register, login or resume) and returns the session. `resume` is the
 * session of this client's last sign-in, when there is one.
 */
export type Authenticate = (
  requests: SignalingRequests,
  resume: ResumePoint | null,
) => Promise<SessionReply>;

export interface SignalingClientOptions {
  url: string;
  openSocket: SocketOpener;
  notifications: NotificationHandlers;
  requestTimeoutMs?: number;
  delayForAttempt?: (attempt: number) => number;
  /** Whether a call is on: reconnecting then waits at most 5 s between attempts. */
  inCall?: () => boolean;
  /** Keep-alive: a `ping` this often while connected (default 10 s)... */
  pingIntervalMs?: number;
  /** ...whose reply must come within this (default 5 s), else the connection counts as dead. */
  pingTimeoutMs?: number;
  /** How long opening the WebSocket may take (default 5 s). */
  connectTimeoutMs?: number;
  /** How long acknowledging the server's notices may wait to batch them (default 250 ms). */
  ackDelayMs?: number;
  /** Every successful sign-in, the first and each after a reconnect. */
  onSession?: (session: SessionReply) => void;
  /**
   * Optional parts of the protocol to ask for (`features`) after every sign-in: features belong
   * to the connection, so each reconnect asks again. The answer is in `features`.
   */
  features?: readonly Feature[];
  /**
   * A signed-in connection dropped; pending requests have failed already. `reconnecting` is false
   * when the client stopped for good (signed out, device removed, sign-in refused).
   */
  onDisconnected?: (reconnecting: boolean) => void;
  /** Signing in again after a reconnect was refused (account or device gone). */
  onAuthRejected?: (error: SignalingError) => void;
  /**
   * The server closed the connection because this device signed in on a newer one (close 4001):
   * something else uses this device now. The client stops rather than take the device back, which
   * would only make the other one reconnect in turn.
   */
  onReplaced?: () => void;
}

/** Errors of the connection itself, after which trying again may work. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof SignalingError &&
    (error.code === 'disconnected' || error.code === 'timeout' || error.code === 'internal')
  );
}

/** The server refused the sign-in for its address's allowance ("Per-address limits"), for now. */
function isPerAddressRefusal(error: unknown): error is SignalingError {
  return error instanceof SignalingError && error.code === 'too_many_attempts';
}

/** Acknowledge at once after this many unacknowledged server notices (contract: 32). */
const ACK_BATCH = 32;
/**
 * A connection signed in for this long before the server pushed back (rate limit, close 4008,
 * 4009 or 4010) counts as healthy: the next push-back backs off from the start again.
 */
const STABLE_SESSION_MS = 60_000;

/**
 * The WebSocket to the signaling server: signs in, correlates requests with replies, validates
 * every incoming message against the protocol and routes it through one dispatch table, and
 * reconnects with backoff (resuming the session) until stopped. Notices travel in a stream that
 * survives reconnects (NoticeStream): ours wait in an outbox until acknowledged, even while
 * disconnected, and the server's are processed once and in order. A ping that goes unanswered
 * counts as a dead connection.
 */
export class SignalingClient implements SignalingRequests {
  readonly state = signal<ConnectionState>('offline');
  /** The features the server agreed to on this connection (none while offline or not asked). */
  readonly features = signal<readonly Feature[]>([]);
  private readonly tracker: RequestTracker;
  private readonly handlers: ServerMessageHandlers;
  private readonly stream = new NoticeStream<ClientNotice>();
  private socket: SignalingSocket | null = null;
  private socketOpen = false;
  /** The server named the stream on this connection: notices go out as they are made. */
  private streaming = false;
  private signedIn = false;
  /** Server notices processed since our last `ack`. */
  private unacknowledged = 0;
  private generation = 0;
  private attempt = 0;
  /**
   * Push-backs from the server in a row (see STABLE_SESSION_MS): they count as failed attempts
   * even though each connection signed in, so a client the server keeps closing backs off.
   */
  private pushBacks = 0;
  private signedInAt = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private connectTimer: ReturnType<typeof setTimeout> | null = null;
  private pingTimer: ReturnType<typeof setTimeout> | null = null;
  /** Whether the connection the next ping belongs to is still the current one. */
  private pingCurrent: (() => boolean) | null = null;
  private ackTimer: ReturnType<typeof setTimeout> | null = null;
  private authenticate: Authenticate | null = null;
  private reauthenticate: Authenticate | null = null;
  private sessionId: string | null = null;
  private firstSession: {
    resolve(session: SessionReply): void;
    reject(error: unknown): void;
  } | null = null;

  constructor(private readonly options: SignalingClientOptions) {
    this.tracker = new RequestTracker(options.requestTimeoutMs ?? 10_000);
    this.handlers = createServerMessageHandlers(
      {
        settle: (reply) => this.tracker.settle(reply),
        acknowledge: (seq) => this.stream.acknowledge(seq),
      },
      options.notifications,
    );
  }

  /**
   * Connects and signs in with `first`; later reconnects sign in with `then`. Connection failures
   * are retried; the promise rejects only when the server refuses the sign-in.
   */
  start(first: Authenticate, then: Authenticate): Promise<SessionReply> {
    this.stop();
    this.pushBacks = 0;
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
    this.sessionId = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const wasSignedIn = this.closeSocket();
    this.stream.clear();
    this.state.value = 'offline';
    if (wasSignedIn) this.options.onDisconnected?.(false);
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

  /**
   * Sends a notice (no reply). It waits in the outbox until the server acknowledges it, so one
   * made while disconnected goes out once the session resumes. Returns whether it went out at
   * once (false: it waits for the next session).
   */
  notify<T extends NotificationType>(type: T, body: NotificationBody<T>): boolean {
    // Our own bug, not the server's problem: refuse to queue what the protocol does not allow.
    const notice = ClientMessage.parse({ v: PROTOCOL_VERSION, type, ...body }) as ClientNotice;
    const numbered = this.stream.add(notice);
    if (this.streaming) this.socket?.send(JSON.stringify(numbered));
    return this.streaming;
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
    this.connectTimer = setTimeout(() => {
      if (current()) this.onSocketClosed();
    }, this.options.connectTimeoutMs ?? 5_000);
    this.socket = this.options.openSocket(this.options.url, {
      onOpen: () => {
        if (!current()) return;
        this.clearTimer('connectTimer');
        this.socketOpen = true;
        this.schedulePing(current);
        void this.signIn(current);
      },
      onMessage: (text) => {
        if (current()) this.receive(text);
      },
      onClose: (code) => {
        if (!current()) return;
        if (code === CloseCode.replaced) {
          console.warn('parley: this device signed in on another connection; not reconnecting');
          this.stop();
          this.options.onReplaced?.();
        } else if (isPressureClose(code)) {
          console.warn(`parley: the server closed the connection (${code}); reconnecting later`);
          this.onSocketClosed({ pushedBack: true });
        } else {
          this.onSocketClosed();
        }
      },
    });
  }

  private async signIn(current: () => boolean): Promise<void> {
    const authenticate = this.authenticate;
    if (!authenticate) return;
    try {
      const resume = this.sessionId
        ? { sessionId: this.sessionId, stream: this.stream.position }
        : null;
      const session = await authenticate(this, resume);
      if (!current()) return;
      this.sessionId = session.sessionId;
      this.signedIn = true;
      this.signedInAt = Date.now();
      this.attempt = 0;
      this.authenticate = this.reauthenticate;
      this.state.value = 'online';
      // Asked first: what the app sends on sign-in (a call link opened with the page) may need
      // them, and the server reads each connection's messages in order.
      this.negotiateFeatures(current);
      this.options.onSession?.(session);
      this.firstSession?.resolve(session);
      this.firstSession = null;
    } catch (error) {
      if (!current()) return;
      if (isTransient(error)) {
        this.onSocketClosed();
        return;
      }
      // A reconnect refused by the per-address sign-in limit (a busy network behind one address):
      // the device is fine, so it tries again once the server says it may.
      if (isPerAddressRefusal(error) && !this.firstSession) {
        this.onSocketClosed({ pushedBack: true, waitMs: error.retryAfterMs ?? 0 });
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

  /**
   * Asks for the optional features this client wants. A server that predates `features` answers
   * `bad_message`, which means none; so does any other refusal.
   */
  private negotiateFeatures(current: () => boolean): void {
    const wanted = this.options.features;
    if (!wanted || wanted.length === 0) return;
    this.request('features', { features: [...wanted] }).then(
      (reply) => {
        if (current()) this.features.value = reply.features.filter((f) => wanted.includes(f));
      },
      (error: unknown) => {
        if (current()) console.warn('parley: the server offers no optional features', error);
      },
    );
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
    const message = parsed.data;
    if (message.type === 'error' && message.code === 'rate_limited' && this.streaming) {
      // The server drops our messages unread until retryAfterMs has passed, so the notices
      // after them would skip ahead: resuming (not before then) sends them again from the last
      // one the server processed.
      console.warn('parley: rate limited by the server; resuming the session');
      this.onSocketClosed({ pushedBack: true, waitMs: message.retryAfterMs ?? 0 });
      return;
    }
    // The stream starts with the sign-in's reply, before anything numbered after it is read.
    if (message.type === 'session' || message.type === 'link.approved') {
      this.beginStream(message.stream);
    }
    // An ack's `seq` counts our notices, not its own place in the stream.
    const seq =
      this.streaming && message.type !== 'ack' && 'seq' in message ? message.seq : undefined;
    if (seq !== undefined && !this.admit(seq)) return;
    const handler = this.handlers[message.type] as (message: ServerMessage) => void;
    handler(message);
    if (seq !== undefined) this.processed();
  }

  /** The server said where the stream stands: our unacknowledged notices go (again) in order. */
  private beginStream(state: StreamState): void {
    this.streaming = true;
    this.unacknowledged = 0;
    this.clearTimer('ackTimer');
    for (const notice of this.stream.begin(state)) this.socket?.send(JSON.stringify(notice));
  }

  /** Whether a numbered server notice is the next one; duplicates and gaps are dropped. */
  private admit(seq: number): boolean {
    const arrival = this.stream.arrive(seq);
    if (arrival === 'process') return true;
    if (arrival === 'duplicate') {
      // A resend: our ack may have been lost, so say again how far we are.
      this.scheduleAck();
    } else {
      console.warn(`parley: server notice ${seq} skips past ${this.stream.received}; dropped`);
    }
    return false;
  }

  private processed(): void {
    this.unacknowledged += 1;
    if (this.unacknowledged >= ACK_BATCH) this.sendAck();
    else this.scheduleAck();
  }

  private scheduleAck(): void {
    this.ackTimer ??= setTimeout(() => this.sendAck(), this.options.ackDelayMs ?? 250);
  }

  private sendAck(): void {
    this.clearTimer('ackTimer');
    this.unacknowledged = 0;
    const seq = this.stream.received;
    if (this.streaming && seq > 0) this.transmit({ v: PROTOCOL_VERSION, type: 'ack', seq });
  }

  /**
   * Pings now instead of after the quiet interval, unless a ping is already out. A call's media
   * path that breaks often means the network changed, and then the WebSocket is dead too, but
   * nothing tells the browser so until a ping goes unanswered: the sooner that is known, the
   * sooner an ICE restart offer can travel over a new connection.
   */
  checkConnection(): void {
    const current = this.pingCurrent;
    if (!this.pingTimer || !current) return;
    this.clearTimer('pingTimer');
    this.schedulePing(current, 0);
  }

  /** Pings after a quiet interval; a reply that does not come in time closes the connection. */
  private schedulePing(
    current: () => boolean,
    delayMs = this.options.pingIntervalMs ?? 10_000,
  ): void {
    this.pingCurrent = current;
    this.pingTimer = setTimeout(() => {
      this.pingTimer = null;
      if (!current()) return;
      const id = this.tracker.nextId();
      this.transmit({ v: PROTOCOL_VERSION, type: 'ping', id });
      this.tracker.track(id, 'ping', this.options.pingTimeoutMs ?? 5_000).then(
        () => {
          if (current()) this.schedulePing(current);
        },
        (error: unknown) => {
          if (!current()) return;
          if (error instanceof SignalingError && error.code === 'timeout') {
            console.warn('parley: the server stopped answering; reconnecting');
            this.onSocketClosed();
          } else {
            this.schedulePing(current);
          }
        },
      );
    }, delayMs);
  }

  /**
   * Reconnects after a backoff. When the server pushed back (`pushedBack`), the backoff counts
   * the push-backs in a row too, and waits at least `waitMs`.
   */
  private onSocketClosed({ pushedBack = false, waitMs = 0 } = {}): void {
    const wasSignedIn = this.closeSocket();
    this.state.value = 'offline';
    if (wasSignedIn) this.options.onDisconnected?.(this.authenticate !== null);
    if (!this.authenticate) return;
    let attempt = this.attempt;
    if (pushedBack) {
      const stable = wasSignedIn && Date.now() - this.signedInAt >= STABLE_SESSION_MS;
      this.pushBacks = stable ? 1 : this.pushBacks + 1;
      attempt = Math.max(attempt, this.pushBacks);
    }
    const inCall = this.options.inCall?.() ?? false;
    const delay = this.options.delayForAttempt?.(attempt) ?? reconnectDelayMs(attempt, { inCall });
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this.connect(), Math.max(delay, waitMs));
  }

  private clearTimer(name: 'connectTimer' | 'pingTimer' | 'ackTimer'): void {
    const timer = this[name];
    if (timer) clearTimeout(timer);
    this[name] = null;
  }

  /** Closes the current socket (its later events are ignored); returns whether it was signed in. */
  private closeSocket(): boolean {
    const socket = this.socket;
    const wasSignedIn = this.signedIn;
    this.generation += 1;
    this.socket = null;
    this.socketOpen = false;
    this.streaming = false;
    this.signedIn = false;
    if (this.features.peek().length > 0) this.features.value = [];
    this.clearTimer('connectTimer');
    this.clearTimer('pingTimer');
    this.clearTimer('ackTimer');
    this.tracker.failAll(new SignalingError('disconnected', 'The connection to the server closed'));
    socket?.close();
    return wasSignedIn;
  }
}
