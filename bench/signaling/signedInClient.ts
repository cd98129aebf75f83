import { PROTOCOL_VERSION } from '../../protocol';
import type { BenchSocket, Msg } from '../abuse/benchSocket';

/** docs/protocol.md "Notice streams": acknowledge within about 250 ms, or at once after 32. */
const ACK_AFTER_MS = 100;
const ACK_AFTER_NOTICES = 32;

/**
 * A signed-in connection that keeps its side of the notice stream as a real client does: its own
 * notices numbered with `seq`, the server's acknowledged with `ack`. Server notices go to
 * `onNotice`; the server's `ack`s are read and dropped.
 */
export class SignedInClient {
  onNotice: (message: Msg) => void = () => {};
  private sentSeq = 0;
  private receivedSeq = 0;
  private unacknowledged = 0;
  private ackTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: BenchSocket,
    readonly username: string,
  ) {
    socket.onOther = (message) => {
      if (message.type === 'ack') return;
      if (typeof message.seq === 'number') this.received(message.seq);
      this.onNotice(message);
    };
  }

  /** Sends a client notice with the next `seq`. */
  sendNotice(type: string, fields: Record<string, unknown>): void {
    this.sentSeq += 1;
    this.send({ v: PROTOCOL_VERSION, type, ...fields, seq: this.sentSeq });
  }

  /** Sends a frame as it is, bypassing the request bookkeeping (for paced lookups). */
  sendRaw(text: string): void {
    this.socket.ws.send(text);
  }

  private send(message: Record<string, unknown>): void {
    this.socket.ws.send(JSON.stringify(message));
  }

  private received(seq: number): void {
    this.receivedSeq = Math.max(this.receivedSeq, seq);
    this.unacknowledged += 1;
    if (this.unacknowledged >= ACK_AFTER_NOTICES) this.acknowledge();
    else this.ackTimer ??= setTimeout(() => this.acknowledge(), ACK_AFTER_MS);
  }

  private acknowledge(): void {
    if (this.ackTimer) clearTimeout(this.ackTimer);
    this.ackTimer = null;
    this.unacknowledged = 0;
    if (this.socket.isOpen) this.send({ v: PROTOCOL_VERSION, type: 'ack', seq: this.receivedSeq });
  }
}
