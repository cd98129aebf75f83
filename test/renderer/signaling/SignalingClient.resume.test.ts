import type { ClientMessage, ServerMessage } from '../../../protocol';
import { registerDevice, signIn } from '../../../renderer/signaling/authFlow';
import {
  SignalingClient,
  type SignalingClientOptions,
} from '../../../renderer/signaling/SignalingClient';
import {
  FakeServer,
  NodeHost,
  recordingApp,
  serveRegister,
  sessionReply,
  type FakeSocket,
} from './fakeSignaling';

const alice = { username: 'alice', displayName: 'Alice' };
const callId = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e5f';
const presence = (seq: number, username = 'bob'): ServerMessage => ({
  v: 1,
  type: 'presence',
  username,
  presence: 'online',
  seq,
});

const clients: SignalingClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.stop();
});

async function until(condition: () => boolean, what: string) {
  for (let i = 0; i < 400; i += 1) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Alice registered on a fresh device: signed in on stream `stream_a`. */
async function signedIn(options: Partial<SignalingClientOptions> = {}) {
  const server = new FakeServer();
  const host = new NodeHost();
  const seen: string[] = [];
  const events = { sessions: 0, disconnects: [] as boolean[] };
  const client = new SignalingClient({
    url: 'ws://127.0.0.1:1/ws',
    openSocket: server.opener,
    notifications: recordingApp(seen),
    delayForAttempt: () => 0,
    ackDelayMs: 20,
    onSession: () => void (events.sessions += 1),
    onDisconnected: (reconnecting) => void events.disconnects.push(reconnecting),
    ...options,
  });
  clients.push(client);
  const started = client.start(registerDevice(host, alice), signIn(host));
  const { sessionId } = await serveRegister(server);
  await started;
  const first = server.latest;
  return { server, host, client, seen, events, first, sessionId };
}

/** Plays the server's side of the sign-in after the first connection dropped: a resume. */
async function serveResume(
  t: Awaited<ReturnType<typeof signedIn>>,
  stream: { id: string; resumed: boolean; received: number },
) {
  await until(() => t.server.sockets.length > 1, 'the reconnect');
  await t.server.answerHello();
  const resume = await t.server.next('session.resume');
  const sessions = t.events.sessions;
  t.server.latest.push(
    sessionReply(resume.id, alice, 'device_0001', { sessionId: t.sessionId, stream }),
  );
  await until(() => t.events.sessions > sessions, 'the resumed session');
  return resume;
}

const notices = (socket: FakeSocket) =>
  socket.received
    .filter((m): m is Extract<ClientMessage, { seq?: number }> => 'seq' in m && m.type !== 'ack')
    .map((m) => [m.type, m.seq]);

describe('SignalingClient notice stream', () => {
  test('numbers its notices from 1 once signed in', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.notify('call.media', { callId, audio: false, video: true });
    expect(notices(t.first)).toEqual([
      ['call.ringing', 1],
      ['call.media', 2],
    ]);
  });

  test('processes server notices once and in order, and acknowledges them in a batch', async () => {
    const t = await signedIn();
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    for (const seq of [1, 2, 2, 1, 3, 5]) t.first.push(presence(seq));
    expect(warn).toHaveBeenCalledTimes(1); // 5 skips 4: dropped
    warn.mockRestore();
    expect(t.seen).toEqual(['presence', 'presence', 'presence']);
    expect(t.first.sent('ack')).toEqual([]);
    await until(() => t.first.sent('ack').length > 0, 'the ack');
    expect(t.first.sent('ack')).toEqual([{ v: 1, type: 'ack', seq: 3 }]);
  });

  test('acknowledges at once after 32 notices', async () => {
    const t = await signedIn({ ackDelayMs: 60_000 });
    for (let seq = 1; seq <= 33; seq += 1) t.first.push(presence(seq));
    expect(t.first.sent('ack')).toEqual([{ v: 1, type: 'ack', seq: 32 }]);
  });

  test('server acks never reach the app, and what they cover is not sent again', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.notify('call.media', { callId, audio: false, video: true });
    t.first.push({ v: 1, type: 'ack', seq: 2 });
    expect(t.seen).toEqual([]);
    t.first.drop();
    await serveResume(t, { id: 'stream_0001', resumed: true, received: 0 });
    expect(notices(t.server.latest)).toEqual([]);
  });

  test('a notice made during a cut waits; the resume names the stream and resends what the server lacks', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.notify('call.media', { callId, audio: true, video: true });
    t.first.push(presence(1));
    t.first.push(presence(2));
    t.first.drop();
    expect(t.events.disconnects).toEqual([true]);
    t.client.notify('call.media', { callId, audio: false, video: true }); // muted while away
    t.client.notify('call.hangup', { callId });

    // The server processed our first notice before the cut, and still has its presence 3.
    const resume = await serveResume(t, { id: 'stream_0001', resumed: true, received: 1 });
    expect(resume).toMatchObject({
      sessionId: t.sessionId,
      stream: { id: 'stream_0001', received: 2 },
    });
    expect(notices(t.server.latest)).toEqual([
      ['call.media', 2],
      ['call.media', 3],
      ['call.hangup', 4],
    ]);
    t.server.latest.push(presence(2)); // resent because our ack was lost: dropped
    t.server.latest.push(presence(3));
    expect(t.seen).toEqual(['presence', 'presence', 'presence']);
    t.client.notify('call.media', { callId, audio: true, video: true });
    expect(notices(t.server.latest).at(-1)).toEqual(['call.media', 5]);
  });

  test('a new stream (server restarted) gets every unacknowledged notice renumbered from 1', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.notify('call.media', { callId, audio: true, video: true });
    t.first.push({ v: 1, type: 'ack', seq: 1 });
    for (const seq of [1, 2, 3]) t.first.push(presence(seq));
    t.first.drop();
    t.client.notify('call.hangup', { callId });

    await serveResume(t, { id: 'stream_0002', resumed: false, received: 0 });
    expect(notices(t.server.latest)).toEqual([
      ['call.media', 1],
      ['call.hangup', 2],
    ]);
    // The new stream's notices count from 1 again.
    t.server.latest.push(presence(1, 'carol'));
    expect(t.seen).toEqual(['presence', 'presence', 'presence', 'presence']);
  });

  test('a message the server dropped for the rate limit is sent again through a resume', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.notify('call.media', { callId, audio: false, video: true });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t.first.push({
      v: 1,
      type: 'error',
      re: null,
      code: 'rate_limited',
      message: 'slow down',
      retryAfterMs: 30,
    });
    warn.mockRestore();
    expect(t.first.closed).toBe(true);
    await serveResume(t, { id: 'stream_0001', resumed: true, received: 1 });
    expect(notices(t.server.latest)).toEqual([['call.media', 2]]);
    expect(t.seen).toEqual([]);
  });

  test('an unanswered ping counts as a dead connection: the client reconnects', async () => {
    const t = await signedIn({ pingIntervalMs: 20, pingTimeoutMs: 30 });
    await until(() => t.first.sent('ping').length >= 2, 'pings answered in turn');
    t.first.answersPings = false;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    await until(() => t.server.sockets.length === 2, 'the reconnect');
    expect(warn).toHaveBeenCalledWith('parley: the server stopped answering; reconnecting');
    warn.mockRestore();
    expect(t.first.closed).toBe(true);
    expect(t.events.disconnects).toEqual([true]);
  });

  test('checking the connection pings at once, so a dead one is found without the quiet interval', async () => {
    const t = await signedIn({ pingIntervalMs: 60_000, pingTimeoutMs: 30 });
    expect(t.first.sent('ping')).toHaveLength(0);
    t.first.answersPings = false;
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t.client.checkConnection();
    await until(() => t.server.sockets.length === 2, 'the reconnect');
    warn.mockRestore();
    expect(t.first.sent('ping')).toHaveLength(1);
    expect(t.first.closed).toBe(true);
  });

  test('a connection that does not open in time is given up and tried again', async () => {
    const t = await signedIn({ connectTimeoutMs: 30 });
    t.server.reachable = false;
    t.first.drop();
    await until(() => t.server.sockets.length >= 3, 'two more attempts');
    expect(t.server.sockets.slice(1, -1).every((socket) => socket.closed)).toBe(true);
    t.server.reachable = true;
    await until(() => t.server.latest.received.length > 0, 'an attempt that opens');
    expect(t.server.latest.received[0]?.type).toBe('hello');
  });

  test('stopping for good says so, and forgets the stream and its outbox', async () => {
    const t = await signedIn();
    t.client.notify('call.ringing', { callId });
    t.client.stop();
    expect(t.events.disconnects).toEqual([false]);

    // A new start continues nothing: it logs in, naming no session and no stream.
    void t.client.start(signIn(t.host), signIn(t.host));
    await until(() => t.server.sockets.length > 1, 'the new connection');
    await t.server.answerHello();
    const login = await t.server.next('auth.login');
    expect(t.server.latest.received.map((m) => m.type)).toEqual(['hello', 'auth.login']);
    const sessions = t.events.sessions;
    t.server.latest.push(
      sessionReply(login.id, alice, 'device_0001', { stream: { id: 'stream_0002' } }),
    );
    await until(() => t.events.sessions > sessions, 'the new session');
    expect(notices(t.server.latest)).toEqual([]);
  });
});

describe('SignalingClient when the server pushes back', () => {
  /** Signed in; every reconnect's backoff attempt is recorded (and waited 0 ms). */
  async function recording() {
    const attempts: number[] = [];
    const t = await signedIn({ delayForAttempt: (attempt) => (attempts.push(attempt), 0) });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    return { ...t, attempts, warn };
  }
  afterEach(() => jest.restoreAllMocks());

  /** Waits for the reconnect after the latest socket closed, and serves its resume. */
  async function resumed(t: Awaited<ReturnType<typeof signedIn>>) {
    const closed = t.server.latest;
    await until(() => t.server.latest !== closed, 'the reconnect');
    await serveResume(t, { id: 'stream_0001', resumed: true, received: 0 });
  }

  /** Closes the connection of the moment with each of `codes` in turn, serving each resume. */
  async function dropEachAndResume(t: Awaited<ReturnType<typeof signedIn>>, codes: number[]) {
    for (const code of codes) {
      t.server.latest.drop(code);
      await resumed(t);
    }
  }

  test('closed for flooding, falling behind or the sign-in deadline, it backs off further each time', async () => {
    const t = await recording();
    await dropEachAndResume(t, [4008, 4009, 4010]);
    // Each connection signed in, yet the waits grow: 1, 2, 3 failed attempts' worth.
    expect(t.attempts).toEqual([1, 2, 3]);
    expect(t.warn).toHaveBeenCalledWith(
      'parley: the server closed the connection (4009); reconnecting later',
    );
    expect(t.events.disconnects).toEqual([true, true, true]);
  });

  test('closed because the device signed in on a newer connection (4001), it stops instead of taking it back', async () => {
    let replaced = 0;
    const t = await signedIn({ onReplaced: () => void (replaced += 1) });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    t.first.drop(4001);
    await until(() => replaced === 1, 'onReplaced');
    expect(t.client.state.value).toBe('offline');
    expect(t.events.disconnects).toEqual([false]);
    // Reconnecting would close the newer connection with 4001 in turn, and so on without end.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(t.server.sockets).toHaveLength(1);
    expect(warn).toHaveBeenCalledWith(
      'parley: this device signed in on another connection; not reconnecting',
    );
  });

  test('an ordinary drop or an unknown close code reconnects with the normal backoff', async () => {
    const t = await recording();
    await dropEachAndResume(t, [1006, 4999, 1011]);
    expect(t.attempts).toEqual([0, 0, 0]);
  });

  test('a push-back after a minute signed in starts the backoff from the beginning again', async () => {
    const t = await recording();
    t.first.drop(4008);
    await resumed(t);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 60_000);
    t.server.latest.drop(4008);
    clock.mockRestore();
    await resumed(t);
    expect(t.attempts).toEqual([1, 1]);
  });

  test('rate limited, it resumes only once retryAfterMs has passed', async () => {
    const t = await recording();
    t.first.push({
      v: 1,
      type: 'error',
      re: null,
      code: 'rate_limited',
      message: 'slow down',
      retryAfterMs: 200,
    });
    expect(t.first.closed).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(t.server.sockets).toHaveLength(1);
    await resumed(t);
    expect(t.attempts).toEqual([1]);
  });

  test('a reconnect refused by the per-address sign-in limit tries again after retryAfterMs', async () => {
    const t = await recording();
    const refused = t.first;
    refused.drop(1006);
    await until(() => t.server.latest !== refused, 'the reconnect');
    await t.server.answerHello();
    const resume = await t.server.next('session.resume');
    t.server.latest.push({
      v: 1,
      type: 'error',
      re: resume.id,
      code: 'too_many_attempts',
      message: 'too many sign-in attempts from your address; try again in 1 s',
      retryAfterMs: 200,
    });
    const secondTry = t.server.latest;
    await new Promise((resolve) => setTimeout(resolve, 20));
    // Still waiting out retryAfterMs: no new connection yet, and the client did not give up.
    expect(t.server.latest).toBe(secondTry);
    expect(t.client.state.value).toBe('offline');
    await resumed(t);
    expect(t.events.sessions).toBe(2);
  });
});
