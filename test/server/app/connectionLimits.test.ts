import { Writable } from 'node:stream';
import pino from 'pino';
import { CloseCode } from '../../../protocol';
import type { ServerOptions } from '../../../server/app';
import { CLOSE_HANDSHAKE_MS } from '../../../server/connection/closeWithin';
import { LINK_CODE_TTL_MS } from '../../../server/linking/InProcessPendingLinks';
import { FakeTime } from '../calls/fakeTime';
import { eventually } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/** The per-connection limits: send queue (4009), floods (4008) and the sign-in deadline (4010). */

let server: TestServer;
let time: FakeTime;
/** What the server logged, one parsed line each: how an operator sees why it closed something. */
let logged: { msg: string; code?: number }[];

async function start(options: Partial<ServerOptions>) {
  time = new FakeTime();
  logged = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logged.push(JSON.parse(line));
      done();
    },
  });
  server = await TestServer.start({
    time: { clock: time, scheduler: time },
    logger: pino({ level: 'info' }, sink),
    ...options,
  });
}
afterEach(() => server.dispose());

/** A request of the longest id, so that each answer is as large as a `ping` reply can be. */
const ping = (n: number) => ({ v: 1, type: 'ping', id: `p${n}`.padEnd(64, '_') });

async function isAnswered(client: TestClient) {
  expect(await client.request({ type: 'ping' })).toMatchObject({ type: 'ok' });
}

describe('a connection that does not read what it asked for', () => {
  const SEND_QUEUE_BYTES = 64 * 1024;

  beforeEach(() =>
    // Within the rate limit whatever it asks: only the send queue can stop it.
    start({ sendQueueBytes: SEND_QUEUE_BYTES, messageBurst: 1_000_000, messageRate: 1_000_000 }),
  );

  /**
   * The slow reader stops reading and asks for answers, batch after batch, until the server
   * gives up on it (what the kernel buffers comes first, a few MiB); bob is answered meanwhile.
   */
  async function fallBehind(slow: TestClient, bob: TestClient) {
    slow.socket.pause();
    let asked = 0;
    for (let batch = 0; !logged.some((l) => l.code === CloseCode.tooSlow); batch += 1) {
      if (batch === 400) throw new Error('the server never closed the slow reader');
      for (let i = 0; i < 2000; i += 1) slow.send(ping(asked++));
      await isAnswered(bob);
    }
    return asked;
  }

  test('is closed with 4009 once its queue passes the bound, while another client is answered', async () => {
    const slow = await server.registered('slow');
    const bob = await server.registered('bob');
    const asked = await fallBehind(slow, bob);
    expect(logged.find((l) => l.code === CloseCode.tooSlow)?.msg).toBe(
      'closing: fell behind reading',
    );

    // Reading again, it gets what was queued, then the close: the server sent nothing more.
    slow.socket.resume();
    expect(await slow.closed).toEqual({ code: CloseCode.tooSlow, reason: 'fell behind reading' });
    const answered = slow.inbox.filter((m) => m.type === 'ok').length;
    expect(answered).toBeGreaterThan(0);
    expect(answered).toBeLessThan(asked);
    await isAnswered(bob);
  }, 60_000);

  test('that never reads again is dropped once the close handshake had its time', async () => {
    const slow = await server.registered('slow');
    const bob = await server.registered('bob');
    await fallBehind(slow, bob);
    time.advance(CLOSE_HANDSHAKE_MS);
    await isAnswered(bob);

    // Dropped with what was queued, the close frame too: reading again, it finds the connection
    // gone without a close handshake (an abnormal closure).
    slow.socket.resume();
    expect((await slow.closed).code).toBe(1006);
    await isAnswered(bob);
  }, 60_000);
});

describe('a connection over its rate limit', () => {
  const BURST = 10;
  const FLOOD_CLOSE_AFTER = 500;

  // The fake clock stands still: no token comes back during a test, nor does the quiet end.
  beforeEach(() =>
    start({ messageBurst: BURST, messageRate: BURST, floodCloseAfter: FLOOD_CLOSE_AFTER }),
  );

  test('gets one rate_limited, then silence, then is closed with 4008; others are answered', async () => {
    const flooder = await server.client();
    const bob = await server.registered('bob');
    let closedAfter: number | null = null;
    void flooder.closed.then(() => (closedAfter = sent));

    // Fewer than the burst, the refusal and FLOOD_CLOSE_AFTER dropped: not closed yet.
    let sent = 0;
    for (; sent < FLOOD_CLOSE_AFTER - 100; sent += 1) flooder.send(ping(sent));
    await isAnswered(bob);
    expect(closedAfter).toBeNull();
    for (; sent < 2 * FLOOD_CLOSE_AFTER; sent += 1) flooder.send(ping(sent));
    await isAnswered(bob);

    expect(await flooder.closed).toEqual({
      code: CloseCode.flooding,
      reason: 'kept sending over the rate limit',
    });
    // The burst was answered, then exactly one refusal (unread, so no `re`); then nothing.
    const answers = flooder.inbox;
    expect(answers.slice(0, BURST).map((m) => m.type)).toEqual(Array(BURST).fill('ok'));
    expect(answers.slice(BURST)).toEqual([
      {
        v: 1,
        type: 'error',
        re: null,
        code: 'rate_limited',
        message: expect.any(String),
        retryAfterMs: 1000,
      },
    ]);
    await isAnswered(bob);
  });

  test('one that waits retryAfterMs is answered again, and is not closed', async () => {
    const client = await server.client();
    for (let i = 0; i < BURST + 3; i += 1) client.send(ping(i));
    expect(await client.nextOf('error')).toMatchObject({ code: 'rate_limited' });
    expect(client.inbox.filter((m) => m.type === 'ok')).toHaveLength(BURST);

    // Until retryAfterMs has passed, what it sends is dropped unanswered.
    time.advance(999);
    client.send(ping(100));
    expect(await client.collect(300, (m) => m.type === 'ok' && m.re === ping(100).id)).toEqual([]);
    time.advance(1);
    await isAnswered(client);
  });

  test('a client within its limit is never refused nor closed', async () => {
    const client = await server.client();
    for (let round = 0; round < 4; round += 1) {
      // A full burst, answered; then time for the bucket to fill up again.
      const replies = await Promise.all(
        Array.from({ length: BURST }, () => client.request({ type: 'ping' })),
      );
      expect(replies.map((m) => m.type)).toEqual(Array(BURST).fill('ok'));
      time.advance(1000);
    }
    expect(client.inbox).toEqual([]);
    expect(client.socket.readyState).toBe(client.socket.OPEN);
  });
});

describe('a connection that does not sign in', () => {
  const DEADLINE_MS = 10_000;

  beforeEach(() => start({ signInDeadlineMs: DEADLINE_MS }));

  test('is closed with 4010 at the deadline, while one that signed in stays', async () => {
    const idle = await server.client();
    const helloOnly = await server.client();
    await helloOnly.challenge();
    const alice = await server.registered('alice');

    time.advance(DEADLINE_MS - 1);
    await isAnswered(idle);
    time.advance(1);
    const timedOut = { code: CloseCode.signInTimeout, reason: 'did not sign in in time' };
    expect(await idle.closed).toEqual(timedOut);
    expect(await helloOnly.closed).toEqual(timedOut);

    time.advance(10 * DEADLINE_MS);
    await isAnswered(alice);
  });

  test('a connection that resumed a session or was linked stays', async () => {
    const alice = await server.registered('alice');
    const linked = await server.linkedDevice(alice);
    const again = await server.client();
    expect(await again.resume(alice)).toMatchObject({ type: 'session' });

    time.advance(10 * DEADLINE_MS);
    await isAnswered(again);
    await isAnswered(linked);
  });

  test('a connection waiting for a device link is not closed by the deadline, but when the link expires', async () => {
    const waiting = await server.client();
    expect(await waiting.requestLink()).toMatchObject({ type: 'link.code' });

    time.advance(DEADLINE_MS * 2);
    await isAnswered(waiting);
    time.advance(LINK_CODE_TTL_MS);
    expect(await waiting.nextOf('link.rejected')).toMatchObject({ reason: 'expired' });
    expect(await waiting.closed).toEqual({
      code: CloseCode.signInTimeout,
      reason: 'device link expired',
    });
  });

  test('a rejected link closes the waiting connection after link.rejected', async () => {
    const alice = await server.registered('alice');
    const waiting = await server.client();
    const code = await waiting.requestLink();
    if (code.type !== 'link.code') throw new Error(JSON.stringify(code));
    expect(await alice.request({ type: 'link.reject', code: code.code })).toMatchObject({
      type: 'ok',
    });
    expect(await waiting.nextOf('link.rejected')).toMatchObject({ reason: 'rejected' });
    expect((await waiting.closed).code).toBe(CloseCode.signInTimeout);
  });

  test('after session.end the connection has a new deadline to sign in again', async () => {
    const alice = await server.registered('alice');
    time.advance(DEADLINE_MS);
    expect(await alice.request({ type: 'session.end' })).toMatchObject({ type: 'ok' });

    time.advance(DEADLINE_MS - 1);
    await isAnswered(alice);
    time.advance(1);
    expect((await alice.closed).code).toBe(CloseCode.signInTimeout);
  });

  test('closing cancels the deadline: nothing is left scheduled for a closed connection', async () => {
    const before = time.pending;
    const idle = await server.client();
    await eventually(() => time.pending > before);
    await idle.close();
    await eventually(() => time.pending === before);
  });
});
