import { Heartbeat, type HeartbeatSocket } from '../../../server/connection/Heartbeat';
import { FakeTime } from '../calls/fakeTime';

const INTERVAL_MS = 30_000;
const SLOTS = 30;
const TICK_MS = INTERVAL_MS / SLOTS;

/** A socket that records when it was pinged, and whether it was dropped. */
class FakeSocket implements HeartbeatSocket {
  pings: number[] = [];
  terminated = false;
  constructor(private readonly time: FakeTime) {}
  ping(): void {
    this.pings.push(this.time.now());
  }
  terminate(): void {
    this.terminated = true;
  }
}

function setUp(count: number) {
  const time = new FakeTime();
  const heartbeat = new Heartbeat(time, INTERVAL_MS, SLOTS);
  const sockets = Array.from({ length: count }, () => new FakeSocket(time));
  for (const socket of sockets) heartbeat.add(socket);
  /** Moves time on tick by tick, answering every ping of the answering sockets at once. */
  const run = (ms: number, answering: FakeSocket[] = sockets) => {
    for (let elapsed = 0; elapsed < ms; elapsed += TICK_MS) {
      time.advance(TICK_MS);
      for (const socket of answering) heartbeat.answered(socket);
    }
  };
  return { time, heartbeat, sockets, run };
}

test('each connection is pinged once per interval, the pings spread over the interval', () => {
  const { time, sockets, run } = setUp(90);
  const start = time.now();
  run(3 * INTERVAL_MS);
  for (const socket of sockets) {
    expect(socket.pings).toHaveLength(3);
    expect(socket.pings[1]! - socket.pings[0]!).toBe(INTERVAL_MS);
    expect(socket.pings[2]! - socket.pings[1]!).toBe(INTERVAL_MS);
    expect(socket.terminated).toBe(false);
  }
  // No moment of the first interval pings more than its even share (90 connections, 30 slots).
  const firstPings = new Map<number, number>();
  for (const socket of sockets) {
    const at = socket.pings[0]! - start;
    firstPings.set(at, (firstPings.get(at) ?? 0) + 1);
  }
  expect(firstPings.size).toBe(SLOTS);
  expect(Math.max(...firstPings.values())).toBe(3);
});

test('a connection that has not answered the previous ping is dropped when the next is due', () => {
  const { sockets, run } = setUp(10);
  const [silent, ...answering] = sockets as [FakeSocket, ...FakeSocket[]];
  run(INTERVAL_MS, answering);
  // Pinged once and silent since, but its next ping is not due yet.
  expect(silent.pings).toHaveLength(1);
  expect(silent.terminated).toBe(false);
  run(INTERVAL_MS, answering);
  expect(silent.terminated).toBe(true);
  expect(silent.pings).toHaveLength(1);
  run(INTERVAL_MS, answering);
  expect(silent.pings).toHaveLength(1);
  for (const socket of answering) {
    expect(socket.terminated).toBe(false);
    expect(socket.pings).toHaveLength(3);
  }
});

test('a connection that answers late, but before its next ping, stays', () => {
  const { heartbeat, sockets, run } = setUp(1);
  const [socket] = sockets as [FakeSocket];
  // The only connection is in the first slot: pinged at the first tick, again one interval on.
  run(TICK_MS, []);
  expect(socket.pings).toHaveLength(1);
  run(INTERVAL_MS - TICK_MS, []);
  expect(socket.pings).toHaveLength(1);
  heartbeat.answered(socket);
  run(TICK_MS, []);
  expect(socket.terminated).toBe(false);
  expect(socket.pings).toHaveLength(2);
});

test('a removed connection is neither pinged nor dropped, and stop ends the pings', () => {
  const { time, heartbeat, sockets, run } = setUp(2);
  const [gone, staying] = sockets as [FakeSocket, FakeSocket];
  heartbeat.remove(gone);
  run(2 * INTERVAL_MS);
  expect(gone.pings).toHaveLength(0);
  expect(gone.terminated).toBe(false);
  expect(staying.pings).toHaveLength(2);
  heartbeat.stop();
  time.advance(2 * INTERVAL_MS);
  expect(staying.pings).toHaveLength(2);
  expect(time.pending).toBe(0);
});
