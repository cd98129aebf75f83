import { randomBytes } from 'node:crypto';
import type { ServerMessage } from '../../protocol';
import type { Clock } from '../calls/timePorts';

/**
 * One session's notice stream with one device, in both directions, with no I/O: the server's
 * notices numbered 1, 2, 3, ... and kept until the device acknowledges them (bounded in count and
 * age), and how far the device's own notices have been processed. A stream that had to drop a
 * notice it still owed is broken: it keeps numbering for the live connection, but can no longer
 * be resumed.
 */
export interface StreamLimits {
  /** Most unacknowledged notices kept; one more breaks the stream. */
  maxNotices: number;
  /** Oldest an unacknowledged notice may get; older breaks the stream. */
  maxAgeMs: number;
}

/** Where a client notice stands in the stream. */
export type ClientNoticePlace =
  | { kind: 'next' }
  | { kind: 'duplicate' }
  | { kind: 'gap'; expected: number };

interface KeptNotice {
  seq: number;
  at: number;
  message: ServerMessage;
}

export class NoticeStream {
  /** Unguessable, so that one device cannot name (and resume) another session's stream. */
  readonly id = randomBytes(16).toString('base64url');
  private lastSent = 0;
  private lastReceived = 0;
  private kept: KeptNotice[] = [];
  private broken = false;

  constructor(
    private readonly limits: StreamLimits,
    private readonly clock: Clock,
  ) {}

  /** The last client notice `seq` processed in this stream (0: none). */
  get received(): number {
    return this.lastReceived;
  }

  /** Numbers a server notice and keeps it until acknowledged. */
  append(notice: ServerMessage): ServerMessage & { seq: number } {
    this.lastSent += 1;
    const numbered = { ...notice, seq: this.lastSent } as ServerMessage & { seq: number };
    if (this.broken) return numbered;
    this.dropExpired();
    if (this.kept.length >= this.limits.maxNotices) {
      this.break();
      return numbered;
    }
    this.kept.push({ seq: this.lastSent, at: this.clock.now(), message: numbered });
    return numbered;
  }

  /** The device processed every notice up to `seq`. */
  acknowledge(seq: number): void {
    const upTo = Math.min(seq, this.lastSent);
    this.kept = this.kept.filter((notice) => notice.seq > upTo);
  }

  /**
   * The notices to send again to a device that resumes having processed up to `received`, in
   * order; null when the stream cannot go on (broken, or `received` is ahead of what was sent).
   */
  resumeAfter(received: number): ServerMessage[] | null {
    this.dropExpired();
    if (this.broken || received > this.lastSent) return null;
    this.acknowledge(received);
    return this.kept.map((notice) => notice.message);
  }

  /** Places a client notice numbered `seq`; a `next` one counts as processed from now on. */
  receive(seq: number): ClientNoticePlace {
    if (seq <= this.lastReceived) return { kind: 'duplicate' };
    if (seq > this.lastReceived + 1) return { kind: 'gap', expected: this.lastReceived + 1 };
    this.lastReceived = seq;
    return { kind: 'next' };
  }

  private dropExpired(): void {
    const oldest = this.kept[0];
    if (oldest && this.clock.now() - oldest.at > this.limits.maxAgeMs) this.break();
  }

  private break(): void {
    this.broken = true;
    this.kept = [];
  }
}
