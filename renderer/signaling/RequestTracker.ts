import {
  errorCodeText,
  replyTypes,
  type ErrorCode,
  type RequestType,
  type ServerMessage,
  type ServerMessageOf,
} from '../../protocol';

export type ReplyOf<T extends RequestType> = ServerMessageOf<(typeof replyTypes)[T]>;

/** Why a request failed: a protocol error code, or the connection/timeout. */
export type RequestFailure = ErrorCode | 'timeout' | 'disconnected' | 'bad_reply';

export class SignalingError extends Error {
  constructor(
    readonly code: RequestFailure,
    message: string,
    /** For limits that lift with time: how long the server asked to wait before trying again. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'SignalingError';
  }
}

/** A server message that answers a request: it carries `re`. */
export type ReplyMessage = Extract<ServerMessage, { re: unknown }>;

interface Pending {
  expects: ServerMessage['type'];
  resolve(reply: ServerMessage): void;
  reject(error: SignalingError): void;
  timer: ReturnType<typeof setTimeout>;
}

/**
 * Correlates requests with their replies by `id`/`re`. Each request expects one reply type (from
 * the protocol's replyTypes) or an `error`; a missing reply fails after the timeout.
 */
export class RequestTracker {
  private readonly pending = new Map<string, Pending>();
  private counter = 0;

  constructor(private readonly timeoutMs: number) {}

  nextId(): string {
    this.counter += 1;
    return `r${this.counter}`;
  }

  get size(): number {
    return this.pending.size;
  }

  /** `timeoutMs` overrides the tracker's own for this request (e.g. a keep-alive's deadline). */
  track<T extends RequestType>(
    id: string,
    type: T,
    timeoutMs = this.timeoutMs,
  ): Promise<ReplyOf<T>> {
    if (this.pending.has(id)) throw new Error(`request id ${id} is already pending`);
    return new Promise<ReplyOf<T>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new SignalingError('timeout', `No reply to ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, {
        expects: replyTypes[type],
        resolve: (reply) => resolve(reply as ReplyOf<T>),
        reject,
        timer,
      });
    });
  }

  /** Settles the request a reply answers; returns false when no request is waiting for it. */
  settle(reply: ReplyMessage): boolean {
    if (reply.re === null) return false;
    const entry = this.pending.get(reply.re);
    if (!entry) return false;
    this.pending.delete(reply.re);
    clearTimeout(entry.timer);
    if (reply.type === 'error') {
      entry.reject(
        new SignalingError(
          reply.code,
          reply.message || errorCodeText[reply.code],
          reply.retryAfterMs,
        ),
      );
    } else if (reply.type !== entry.expects) {
      entry.reject(
        new SignalingError('bad_reply', `Expected ${entry.expects} but got ${reply.type}`),
      );
    } else {
      entry.resolve(reply);
    }
    return true;
  }

  /** Fails every pending request, e.g. when the connection drops. */
  failAll(error: SignalingError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
  }
}
