/**
 * Conformance with docs/protocol.md, "Limits on a connection" and "Close codes": the rate limit
 * (one `rate_limited`, then silence), the flood close (4008) and the sign-in deadline (4010),
 * against a server whose settings the document names, set small.
 */
import { closedWithin, expectError, useServer } from './harness';
import { makeIdentity } from './DocClient';

const BURST = 10;
const FLOOD_CLOSE_AFTER = 50;
const SIGN_IN_DEADLINE_MS = 2000;

const h = useServer({
  messageBurst: BURST,
  messageRate: BURST,
  floodCloseAfter: FLOOD_CLOSE_AFTER,
  signInDeadlineMs: SIGN_IN_DEADLINE_MS,
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limit', () => {
  test('over the limit: one rate_limited with re null and retryAfterMs, nothing more, and a flood is closed with 4008', async () => {
    const c = await h.connect();
    const sent = BURST + 1 + FLOOD_CLOSE_AFTER + 100;
    for (let i = 0; i < sent; i += 1) c.send({ type: 'ping', id: `f${i}` });
    expect(await closedWithin(c, 10_000)).toMatchObject({ code: 4008 });

    const refusals = c.log.filter((m) => m.type === 'error');
    expect(refusals).toHaveLength(1);
    expectError(refusals[0]!, 'rate_limited', null);
    expect(Number.isInteger(refusals[0]!.retryAfterMs)).toBe(true);
    // Answered: the burst (and what refilled meanwhile), all before the refusal; then nothing.
    const refusedAt = c.log.indexOf(refusals[0]!);
    expect(c.log.slice(refusedAt + 1)).toEqual([]);
    expect(refusedAt).toBeGreaterThanOrEqual(BURST);
    expect(refusedAt).toBeLessThan(sent - FLOOD_CLOSE_AFTER);
    expect(c.log.slice(0, refusedAt).every((m) => m.type === 'ok')).toBe(true);
  });

  test('a client that waits retryAfterMs after rate_limited is answered again and stays open', async () => {
    const alice = await h.newUser('alice');
    for (let i = 0; i < BURST + 5; i += 1) alice.c.send({ type: 'ping', id: `b${i}` });
    const limited = await alice.c.next('error', (m) => m.code === 'rate_limited');
    await sleep(Number(limited.retryAfterMs));
    expect(await alice.c.request('ping')).toMatchObject({ type: 'ok' });
    expect(alice.c.isClosed).toBe(false);
  });
});

describe('sign-in deadline', () => {
  test('a connection that does not sign in is closed with 4010; a signed-in one stays', async () => {
    const idle = await h.connect();
    const alice = await h.newUser('alice');
    expect(await closedWithin(idle, SIGN_IN_DEADLINE_MS + 10_000)).toMatchObject({ code: 4010 });
    await sleep(SIGN_IN_DEADLINE_MS);
    expect(await alice.c.request('ping')).toMatchObject({ type: 'ok' });
  });

  test('a connection waiting for a device link is not held to it, and is closed with 4010 after link.rejected', async () => {
    const alice = await h.newUser('alice');
    const waiting = await h.connect();
    const code = await waiting.linkRequest(makeIdentity(), 'Phone');
    expect(code).toMatchObject({ type: 'link.code' });
    await sleep(SIGN_IN_DEADLINE_MS + 500);
    expect(await waiting.request('ping')).toMatchObject({ type: 'ok' });

    expect(await alice.c.request('link.reject', { code: code.code })).toMatchObject({ type: 'ok' });
    expect(await waiting.next('link.rejected')).toMatchObject({ reason: 'rejected' });
    expect(await closedWithin(waiting)).toMatchObject({ code: 4010 });
  });

  test('after session.end the signed-out connection has the deadline again', async () => {
    const alice = await h.newUser('alice');
    expect(await alice.c.request('session.end')).toMatchObject({ type: 'ok' });
    expect(await closedWithin(alice.c, SIGN_IN_DEADLINE_MS + 10_000)).toMatchObject({
      code: 4010,
    });
  });
});
