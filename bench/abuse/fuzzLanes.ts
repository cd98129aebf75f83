import { login, type BenchDevice } from './accounts';
import { BenchSocket, type Msg } from './benchSocket';
import { bump, mergeCounts, replyKey, type Counts } from './counts';
import { FuzzFrames, MUTATIONS, type FuzzKind } from './fuzzFrames';
import { SeededRandom, seedOf } from './seededRandom';

/** One lane: a run of connections, one after another, that together send `messages` frames. */
export interface FuzzLane {
  index: number;
  /** Signs in as this device on every connection; null: the lane never signs in. */
  device: BenchDevice | null;
  messages: number;
}

export interface FuzzJob {
  job: 'fuzz';
  wsUrl: string;
  seed: number;
  lanes: FuzzLane[];
  messagesPerConnection: number;
  knownUsernames: string[];
}

export interface FuzzStats {
  sent: Counts;
  /** Sign-in and end-of-connection requests: traffic that is not part of the fuzz. */
  control: number;
  replies: Counts;
  /** Connections the server closed, by close code. */
  serverCloses: Counts;
  /** Refusable requests answered other than as malformed, by mutation. */
  refusableAccepted: Counts;
  /** What those answers were, a few of them, for the report. */
  refusableAcceptedExamples: string[];
  connections: number;
  /** Connections that could not be opened, or closed before their first frame. */
  connectFailures: number;
  signInFailures: number;
  /** Round-trip pings not answered within ROUND_TRIP_TIMEOUT_MS (the server stalled). */
  roundTripTimeouts: number;
}

/** Codes with which the server refuses a malformed message before looking at what it asks. */
const MALFORMED_CODES = new Set(['bad_message', 'unsupported_version', 'too_large', 'bad_json']);
/** Frames sent before waiting for the server to catch up (see roundTrip). */
const FRAMES_PER_ROUND_TRIP = 50;
const ROUND_TRIP_TIMEOUT_MS = 30_000;
/** Connections a lane may fail to open (a busy server times handshakes out) before giving up. */
const MAX_CONNECT_FAILURES = 50;
/** Lanes start this far apart, so that a pass does not open with hundreds of sign-ins at once. */
const LANE_START_STAGGER_MS = 20;

export function emptyFuzzStats(): FuzzStats {
  return {
    sent: {},
    control: 0,
    replies: {},
    serverCloses: {},
    refusableAccepted: {},
    refusableAcceptedExamples: [],
    connections: 0,
    connectFailures: 0,
    signInFailures: 0,
    roundTripTimeouts: 0,
  };
}

export function mergeFuzzStats(into: FuzzStats, from: FuzzStats): FuzzStats {
  mergeCounts(into.sent, from.sent);
  mergeCounts(into.replies, from.replies);
  mergeCounts(into.serverCloses, from.serverCloses);
  mergeCounts(into.refusableAccepted, from.refusableAccepted);
  into.refusableAcceptedExamples.push(...from.refusableAcceptedExamples.slice(0, 10));
  into.control += from.control;
  into.connections += from.connections;
  into.connectFailures += from.connectFailures;
  into.signInFailures += from.signInFailures;
  into.roundTripTimeouts += from.roundTripTimeouts;
  return into;
}

/** Runs every lane at once; each connection's frames come from a seed of (pass seed, lane, n). */
export async function runFuzzLanes(job: FuzzJob): Promise<FuzzStats> {
  const stats = emptyFuzzStats();
  await Promise.all(job.lanes.map((lane) => runLane(job, lane, stats)));
  return stats;
}

async function runLane(job: FuzzJob, lane: FuzzLane, stats: FuzzStats): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, (lane.index % 1000) * LANE_START_STAGGER_MS));
  let remaining = lane.messages;
  let failures = 0;
  for (let n = 0; remaining > 0; n++) {
    let socket: BenchSocket;
    try {
      socket = await BenchSocket.open(job.wsUrl);
    } catch (error) {
      stats.connectFailures++;
      if (++failures > MAX_CONNECT_FAILURES) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
      continue;
    }
    stats.connections++;
    socket.onOther = (message) => count(stats, message);
    if (lane.device) {
      stats.control += 2;
      await login(socket, lane.device).catch(() => stats.signInFailures++);
    }
    const frames = new FuzzFrames(
      new SeededRandom(seedOf(job.seed, lane.index, n)),
      job.knownUsernames,
    );
    const before = remaining;
    for (let i = 0; i < job.messagesPerConnection && remaining > 0 && socket.isOpen; i++) {
      await socket.gate.take();
      const frame = frames.next();
      socket.ws.send(frame.data, { binary: frame.binary });
      bump(stats.sent, frame.kind as FuzzKind);
      remaining--;
      if (frame.endsConnection) break;
      if ((i + 1) % FRAMES_PER_ROUND_TRIP === 0) await roundTrip(socket, stats);
    }
    await endConnection(socket, stats);
    // A server that closes every connection at once must not keep a lane here forever.
    if (remaining === before) {
      stats.connectFailures++;
      if (++failures > MAX_CONNECT_FAILURES) {
        throw new Error(`lane ${lane.index}: ${MAX_CONNECT_FAILURES} connections sent nothing`);
      }
    }
  }
}

/**
 * A `ping` whose `ok` says that the server has handled every earlier frame. Waiting for it keeps
 * a lane from running ahead of a busy server: frames that queue up while the server is behind
 * would reach it bunched, faster than its rate limit, although they were sent within it.
 */
async function roundTrip(socket: BenchSocket, stats: FuzzStats): Promise<void> {
  if (!socket.isOpen) return;
  stats.control++;
  const reply = await Promise.race([
    socket.request('ping', {}, ROUND_TRIP_TIMEOUT_MS).catch(() => null),
    socket.closed,
  ]);
  if (reply === null) stats.roundTripTimeouts++;
}

/** A last round trip, so that every reply is counted; then a normal close. */
async function endConnection(socket: BenchSocket, stats: FuzzStats): Promise<void> {
  await roundTrip(socket, stats);
  const closedByServer = socket.closeInfo;
  if (closedByServer) {
    bump(stats.serverCloses, String(closedByServer.code));
    return;
  }
  socket.ws.close(1000);
  await Promise.race([socket.closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
  socket.terminate();
}

function count(stats: FuzzStats, message: Msg): void {
  bump(stats.replies, replyKey(message));
  const re = message.re;
  if (typeof re !== 'string' || !re.startsWith('x')) return;
  if (message.type === 'error' && MALFORMED_CODES.has(message.code ?? '')) return;
  const tag = re.slice(1, re.indexOf('_'));
  const mutation = tag === 'deep' ? 'deep nesting in an extra field' : MUTATIONS[Number(tag)];
  bump(stats.refusableAccepted, mutation ?? tag);
  if (stats.refusableAcceptedExamples.length < 10) {
    stats.refusableAcceptedExamples.push(`${mutation}: ${JSON.stringify(message).slice(0, 200)}`);
  }
}
