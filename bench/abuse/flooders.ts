import { PROTOCOL_VERSION } from '../../protocol';
import { login, register, type BenchDevice } from './accounts';
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
  /** How often the server closed a flooder, by close code and reason. */
  closes: Counts;
  /** Times a closed flooder connected and signed in again to go on flooding. */
  reconnects: number;
}

/** Writes queued in the client beyond this wait for the socket to drain. */
const CLIENT_BUFFER_BYTES = 1 << 20;
/** Frames sent per connection per turn of the event loop, so that replies still get read. */
const FRAMES_PER_TURN = 500;

/**
 * Connections that each send a valid small request as fast as the socket takes it, for
 * `durationMs`, reading (and counting) every reply. A flooder the server closes connects and signs
 * in again at once and goes on, as a persistent attacker would, so the flood lasts the whole
 * `durationMs`. Run in a worker thread, so that the bystander's timing in the main thread does
 * not wait for this loop.
 */
export async function flood(job: FloodJob, ready: () => void): Promise<FloodResult> {
  const replies: Counts = {};
  const closes: Counts = {};
  const signedIn = async (device: BenchDevice | null, n: number) => {
    const socket = await BenchSocket.open(job.wsUrl);
    const account = device ?? (await register(socket, `flooder${n}`));
    if (device) await login(socket, device);
    socket.onOther = (message) => bump(replies, replyKey(message));
    return { socket, account };
  };
  const flooders = await Promise.all(
    Array.from({ length: job.connections }, (_, n) => signedIn(null, n)),
  );
  const frame = JSON.stringify({
    v: PROTOCOL_VERSION,
    type: 'user.lookup',
    id: 'flood',
    username: job.lookupUsername,
  });
  ready();

  let sent = 0;
  let reconnects = 0;
  const until = performance.now() + job.durationMs;
  await Promise.all(
    flooders.map(async (flooder, n) => {
      let { socket } = flooder;
      while (performance.now() < until) {
        await new Promise<void>((resolve) => {
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
        });
        if (performance.now() >= until) break;
        await socket.closed;
        const info = socket.closeInfo;
        bump(closes, info ? `${info.code} ${info.reason}`.trim() : 'dropped');
        socket = (await signedIn(flooder.account, n)).socket;
        reconnects++;
      }
      flooder.socket = socket;
    }),
  );
  // Replies still in flight are counted too.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  for (const { socket } of flooders) socket.terminate();
  return { sent, replies, closes, reconnects };
}
