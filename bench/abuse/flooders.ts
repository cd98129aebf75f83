import { PROTOCOL_VERSION } from '../../protocol';
import { register } from './accounts';
import { BenchSocket } from './benchSocket';
import { bump, replyKey, type Counts } from './counts';

export interface FloodJob {
  job: 'flood';
  wsUrl: string;
  connections: number;
  durationMs: number;
  /** Username the flooders look up: a small, valid request that needs a signed-in connection. */
  lookupUsername: string;
}

export interface FloodResult {
  sent: number;
  replies: Counts;
  /** Per flooder: the close code and reason if the server closed it, else `open`. */
  closes: string[];
}

/** Writes queued in the client beyond this wait for the socket to drain. */
const CLIENT_BUFFER_BYTES = 1 << 20;
/** Frames sent per connection per turn of the event loop, so that replies still get read. */
const FRAMES_PER_TURN = 500;

/**
 * Connections that each send a valid small request as fast as the socket takes it, for
 * `durationMs`, reading (and counting) every reply. Run in a worker thread, so that the
 * bystander's timing in the main thread does not wait for this loop.
 */
export async function flood(job: FloodJob, ready: () => void): Promise<FloodResult> {
  const sockets = await Promise.all(
    Array.from({ length: job.connections }, async (_, n) => {
      const socket = await BenchSocket.open(job.wsUrl);
      await register(socket, `flooder${n}`);
      return socket;
    }),
  );
  const replies: Counts = {};
  for (const socket of sockets) socket.onOther = (message) => bump(replies, replyKey(message));
  const frame = JSON.stringify({
    v: PROTOCOL_VERSION,
    type: 'user.lookup',
    id: 'flood',
    username: job.lookupUsername,
  });
  ready();

  let sent = 0;
  const until = performance.now() + job.durationMs;
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          const pump = () => {
            if (!socket.isOpen || performance.now() > until) return resolve();
            for (let i = 0; i < FRAMES_PER_TURN; i++) {
              if (socket.ws.bufferedAmount > CLIENT_BUFFER_BYTES) break;
              socket.ws.send(frame);
              sent++;
            }
            setImmediate(pump);
          };
          pump();
        }),
    ),
  );
  // Replies still in flight are counted too.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const closes = sockets.map((socket) =>
    socket.closeInfo ? `${socket.closeInfo.code} ${socket.closeInfo.reason}`.trim() : 'open',
  );
  for (const socket of sockets) socket.terminate();
  return { sent, replies, closes };
}
