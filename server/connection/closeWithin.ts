import type { Scheduler } from '../calls/timePorts';
import type { OutgoingSocket } from './CommitGatedSocket';

/**
 * How long the server waits for the peer to complete a close it started (the close frame is
 * queued behind whatever the peer has not read yet) before it drops the TCP connection.
 */
export const CLOSE_HANDSHAKE_MS = 5_000;

/**
 * Closes the socket with `code`, and terminates it if the close handshake does not complete in
 * time: a peer that does not read would otherwise hold the connection and everything queued for
 * it. Returns the function that cancels the termination (call it once the socket closed).
 */
export function closeWithin(
  socket: Pick<OutgoingSocket, 'close' | 'terminate'>,
  code: number,
  reason: string,
  scheduler: Scheduler,
): () => void {
  socket.close(code, reason);
  return scheduler.schedule(CLOSE_HANDSHAKE_MS, () => socket.terminate());
}
