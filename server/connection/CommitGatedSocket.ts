import WebSocket from 'ws';
import type { CommitGate } from '../db/GroupCommit';

/** What a connection does to its socket: the part the commit gate stands in front of. */
export interface OutgoingSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(text: string): void;
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

  send(text: string): void {
    if (!this.gate.holding) return this.socket.send(text);
    const bytes = Buffer.byteLength(text);
    this.heldBytes += bytes;
    this.gate.afterCommit(
      () => {
        this.heldBytes -= bytes;
        if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
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

  private commitFailed(): void {
    this.heldBytes = 0;
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.close(COMMIT_FAILED_CLOSE_CODE, 'the server could not store a change');
  }
}
