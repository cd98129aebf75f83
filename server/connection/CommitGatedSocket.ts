import WebSocket from 'ws';
import type { CommitGate } from '../db/GroupCommit';

/** What a connection does to its socket: the part the commit gate stands in front of. */
export interface OutgoingSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** A text frame, as a string or as its UTF-8 bytes (encoded once by the caller). */
  send(frame: string | Buffer): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
}

/**
 * WebSocket close code when the writes a connection's messages depended on could not be
 * committed (standard 1011, "internal error"): nothing of it was told; the client reconnects.
 */
export const COMMIT_FAILED_CLOSE_CODE = 1011;

/**
 * A client socket behind the commit gate (server/db/GroupCommit.ts): while writes are pending,
 * what is sent or closed waits, in order, for their commit, so a client is never told of a change
 * a crash could still undo. If the commit fails, what waited is dropped and the socket is closed
 * with COMMIT_FAILED_CLOSE_CODE. Held bytes count in `bufferedAmount`, toward the send-queue
 * bound.
 */
export class CommitGatedSocket implements OutgoingSocket {
  private heldBytes = 0;

  constructor(
    private readonly socket: WebSocket,
    private readonly gate: CommitGate,
  ) {}

  get readyState(): number {
    return this.socket.readyState;
  }

  get bufferedAmount(): number {
    return this.socket.bufferedAmount + this.heldBytes;
  }

  send(frame: string | Buffer): void {
    if (!this.gate.holding) return this.sendNow(frame);
    const bytes = typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
    this.heldBytes += bytes;
    this.gate.afterCommit(
      () => {
        this.heldBytes -= bytes;
        if (this.socket.readyState === WebSocket.OPEN) this.sendNow(frame);
      },
      () => this.commitFailed(),
    );
  }

  close(code?: number, reason?: string): void {
    this.gate.afterCommit(
      () => this.socket.close(code, reason),
      () => this.commitFailed(),
    );
  }

  terminate(): void {
    this.gate.afterCommit(
      () => this.socket.terminate(),
      () => this.socket.terminate(),
    );
  }

  private sendNow(frame: string | Buffer): void {
    if (typeof frame === 'string') this.socket.send(frame);
    else this.socket.send(frame, { binary: false });
  }

  private commitFailed(): void {
    this.heldBytes = 0;
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.close(COMMIT_FAILED_CLOSE_CODE, 'the server could not store a change');
  }
}
