import { randomUUID } from 'node:crypto';
import type { ServerMessageOf } from '../../../protocol';
import { ringAndCancel, startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

type Entry = ServerMessageOf<'calllog'>['entries'][number];

/** These tests place many calls between a few people on purpose: the invite limits stay out. */
const UNLIMITED = { burst: 10_000, everyMs: 1 };

let server: TestServer;
let bob: TestClient;
let carol: TestClient;
let mallory: TestClient;
beforeEach(async () => {
  server = await TestServer.start({ inviteLimits: { perCaller: UNLIMITED, perPair: UNLIMITED } });
  bob = await server.registered('bob');
  carol = await server.registered('carol');
  mallory = await server.registered('mallory');
});
afterEach(() => server.dispose());

async function log(client: TestClient, limit = 100): Promise<Entry[]> {
  const reply = await client.request({ type: 'calllog.list', limit });
  if (reply.type !== 'calllog') throw new Error(`expected calllog, got ${JSON.stringify(reply)}`);
  return reply.entries;
}

/** What a user sees of each entry: who, which way, how it ended, how many calls. */
const summary = (entries: Entry[]) =>
  entries.map((e) => `${e.direction} ${e.peer.username} ${e.outcome} x${e.count}`);

async function hangUp(by: TestClient, other: TestClient, callId: string) {
  by.send({ v: 1, type: 'call.hangup', callId });
  await other.nextOf('call.hangup', callId);
}

/** An invite to someone whose phone is already ringing with another call: busy at once. */
async function busyAttempt(from: TestClient, to: string): Promise<string> {
  const callId = randomUUID();
  expect(await from.invite(callId, to)).toMatchObject({ type: 'ok' });
  await from.nextOf('call.busy', callId);
  return callId;
}

test("50 busy attempts from one caller are one entry of the callee's log, counting them", async () => {
  const earlier = await startAcceptedCall(carol, bob);
  await hangUp(carol, bob, earlier);
  // Bob's phone rings with Carol's next call while Mallory tries.
  const current = randomUUID();
  expect(await carol.invite(current, 'bob')).toMatchObject({ type: 'ok' });
  await bob.nextOf('call.invite', current);

  const attempts: string[] = [];
  for (let i = 1; i <= 50; i += 1) {
    attempts.push(await busyAttempt(mallory, 'bob'));
    // On disk before the caller was told: the callee's log already counts this attempt.
    if (i === 1 || i === 25) expect((await log(bob, 1))[0]).toMatchObject({ count: i });
  }
  bob.send({ v: 1, type: 'call.decline', callId: current });
  await carol.nextOf('call.decline', current);

  const entries = await log(bob, 3);
  expect(summary(entries)).toEqual([
    'incoming mallory busy x50',
    'incoming carol declined x1',
    'incoming carol answered x1',
  ]);
  // The entry is the latest attempt: its call id and times.
  expect(entries[0]).toMatchObject({ callId: attempts.at(-1), answeredAt: null, durationMs: 0 });
  expect(entries[2]!.callId).toBe(earlier);

  // The caller's own log keeps every attempt, newest first, each on its own.
  const outgoing = await log(mallory, 100);
  expect(outgoing.map((e) => e.callId)).toEqual([...attempts].reverse());
  expect(new Set(summary(outgoing))).toEqual(new Set(['outgoing bob busy x1']));

  // A merged call's id stays used.
  expect(await mallory.invite(attempts[0]!, 'carol')).toMatchObject({ code: 'call_state' });
});

test('missed calls merge until a call the callee answers or declines comes between', async () => {
  for (let i = 0; i < 3; i += 1) await ringAndCancel(mallory, bob);
  const answered = await startAcceptedCall(mallory, bob);
  await hangUp(mallory, bob, answered);
  await ringAndCancel(mallory, bob);
  await ringAndCancel(mallory, bob);
  const declined = randomUUID();
  await mallory.invite(declined, 'bob');
  await bob.nextOf('call.invite', declined);
  bob.send({ v: 1, type: 'call.decline', callId: declined });
  await mallory.nextOf('call.decline', declined);
  await ringAndCancel(mallory, bob);

  expect(summary(await log(bob))).toEqual([
    'incoming mallory cancelled x1',
    'incoming mallory declined x1',
    'incoming mallory cancelled x2',
    'incoming mallory answered x1',
    'incoming mallory cancelled x3',
  ]);
});

test('calls from two callers in turn do not merge across each other', async () => {
  for (let i = 0; i < 2; i += 1) {
    await ringAndCancel(mallory, bob);
    await ringAndCancel(carol, bob);
  }
  await ringAndCancel(carol, bob);
  await ringAndCancel(mallory, bob);
  expect(summary(await log(bob))).toEqual([
    'incoming mallory cancelled x1',
    'incoming carol cancelled x2',
    'incoming mallory cancelled x1',
    'incoming carol cancelled x1',
    'incoming mallory cancelled x1',
  ]);
});

test("the callee's own outgoing call in between keeps the entries apart", async () => {
  await ringAndCancel(mallory, bob);
  await ringAndCancel(bob, carol);
  await ringAndCancel(mallory, bob);
  expect(summary(await log(bob))).toEqual([
    'incoming mallory cancelled x1',
    'outgoing carol cancelled x1',
    'incoming mallory cancelled x1',
  ]);
});

test('the merged entries are kept across a restart', async () => {
  for (let i = 0; i < 4; i += 1) await ringAndCancel(mallory, bob);
  await server.stop();
  await server.restart();
  const bobAgain = await server.client();
  await bobAgain.login('bob', bob.deviceId, bob.keys);
  expect(summary(await log(bobAgain))).toEqual(['incoming mallory cancelled x4']);
});
