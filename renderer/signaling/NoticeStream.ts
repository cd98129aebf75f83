import type { ServerMessageOf } from '../../protocol';

/** Where this client's stream stands, as `session.resume` names it. */
export interface StreamPosition {
  id: string;
  /** The last server notice `seq` this client processed. */
  received: number;
}

/** The server's word on the stream, from `session` or `link.approved`. */
export type StreamState = ServerMessageOf<'session'>['stream'];

/** A notice as it goes out: the message plus its place in the stream. */
export type Numbered<T> = T & { seq: number };

/** What to do with an incoming notice. */
export type Arrival = 'process' | 'duplicate' | 'gap';

/** How many of our notices wait for the server's acknowledgement at most (contract: 256). */
export const OUTBOX_LIMIT = 256;

/**
 * Both directions of one session's notice stream (the contract's "Notice streams"): numbers our
 * notices and keeps them until the server acknowledges them, so that a resume can resend them;
 * and admits the server's notices once each and in order. No sockets or timers here: the
 * SignalingClient decides when to send.
 */
export class NoticeStream<T extends object> {
  private id: string | null = null;
  private lastSent = 0;
  private outbox: Numbered<T>[] = [];
  private lastProcessed = 0;

  constructor(private readonly limit = OUTBOX_LIMIT) {}

  /** The stream to continue on the next sign-in; null when there is none to continue. */
  get position(): StreamPosition | null {
    return this.id === null ? null : { id: this.id, received: this.lastProcessed };
  }

  /** The last server notice processed: what an `ack` reports. */
  get received(): number {
    return this.lastProcessed;
  }

  /** Our notices the server has not acknowledged yet, oldest first. */
  get unacknowledged(): readonly Numbered<T>[] {
    return this.outbox;
  }

  /** Numbers a notice and keeps it until acknowledged; returns it as it must be sent. */
  add(message: T): Numbered<T> {
    this.lastSent += 1;
    const numbered = { ...message, seq: this.lastSent };
    this.outbox.push(numbered);
    if (this.outbox.length > this.limit) {
      // The oldest is lost, so the server could never process what follows it in this stream:
      // the next sign-in asks for a new stream, where the rest is renumbered and sent again.
      this.outbox.shift();
      this.id = null;
      console.warn(`parley: more than ${this.limit} notices unacknowledged; dropped the oldest`);
    }
    return numbered;
  }

  /** The server processed every notice of ours up to `seq`. */
  acknowledge(seq: number): void {
    const firstKept = this.outbox.findIndex((notice) => notice.seq > seq);
    this.outbox = firstKept === -1 ? [] : this.outbox.slice(firstKept);
  }

  /**
   * A sign-in told us where the stream stands; returns our notices to send again, in order. The
   * same stream continues after the last notice the server processed; a new one starts again at
   * 1, with every notice still unacknowledged renumbered (call notices are idempotent).
   */
  begin(state: StreamState): Numbered<T>[] {
    if (state.resumed && state.id === this.id) {
      this.acknowledge(state.received);
    } else {
      this.id = state.id;
      this.lastProcessed = 0;
      this.outbox = this.outbox.map((notice, i) => ({ ...notice, seq: i + 1 }));
      this.lastSent = this.outbox.length;
    }
    return [...this.outbox];
  }

  /** An incoming notice: process it only when it is the next one. */
  arrive(seq: number): Arrival {
    if (seq <= this.lastProcessed) return 'duplicate';
    if (seq !== this.lastProcessed + 1) return 'gap';
    this.lastProcessed = seq;
    return 'process';
  }

  /** Signed out: nothing of this session is resent or continued. */
  clear(): void {
    this.id = null;
    this.lastSent = 0;
    this.outbox = [];
    this.lastProcessed = 0;
  }
}
