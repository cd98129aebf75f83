import { randomUUID } from 'node:crypto';
import { FakeTime } from '../calls/fakeTime';
import { startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/**
 * Calls across a server stop and start on the same data (the stop here is `close()`, what SIGTERM
 * runs; test/server/main.test.ts kills a real process).
 */
const GRACE_MS = 30_000;

let time: FakeTime;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
beforeEach(async () => {
  time = new FakeTime();
  server = await TestServer.start({ time: { clock: time, scheduler: time } });
  alice = await server.registered('alice');
  bob = await server.registered('bob');
});
afterEach(() => server.dispose());

async function comeBack(client: TestClient) {
  const back = await server.client();
  const session = await back.resume(client, {
    id: client.streamId,
    received: client.lastSeq,
  });
  return { back, session };
}

async function callLog(client: TestClient) {
  const reply = await client.request({ type: 'calllog.list' });
  if (reply.type !== 'calllog') throw new Error(JSON.stringify(reply));
  return reply.entries;
}

test('an answered call outlives a stop: both come back, see it, hang up, and the log has its whole length', async () => {
  const callId = await startAcceptedCall(alice, bob);
  const answeredAt = time.now();
  time.advance(4_000);
  await server.stop();
  time.advance(3_000);
  await server.restart();
  time.advance(2_000);

  const a = await comeBack(alice);
  const b = await comeBack(bob);
  // A restart loses the streams, never the call.
  expect(a.session).toMatchObject({
    stream: { resumed: false, received: 0 },
    calls: [{ callId, role: 'caller', state: 'accepted', answeredAt, peer: { username: 'bob' } }],
  });
  expect(b.session).toMatchObject({ calls: [{ callId, role: 'callee', answeredAt }] });
  expect(await a.back.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'in_call',
  });

  // In-call messages flow again, then the hang-up ends it on both sides.
  b.back.send({ v: 1, type: 'call.media', callId, audio: false, video: true });
  expect(await a.back.nextOf('call.media', callId)).toMatchObject({ audio: false });
  time.advance(1_000);
  a.back.send({ v: 1, type: 'call.hangup', callId });
  expect(await b.back.nextOf('call.hangup', callId)).toMatchObject({ reason: 'hangup' });
  expect(await callLog(b.back)).toMatchObject([
    { callId, outcome: 'answered', answeredAt, durationMs: 10_000 },
  ]);
  expect(await comeBack(alice).then(({ session }) => session)).toMatchObject({ calls: [] });
});

test('after a restart, a party that does not come back ends the call as connection_lost, from the start-up', async () => {
  const callId = await startAcceptedCall(alice, bob);
  const answeredAt = time.now();
  time.advance(4_000);
  await server.stop();
  time.advance(3_000);
  const startedAt = time.now();
  await server.restart();

  time.advance(GRACE_MS - 1_000);
  const a = await comeBack(alice);
  expect(a.session).toMatchObject({ calls: [{ callId }] });
  time.advance(1_000);
  expect(await a.back.nextOf('call.hangup', callId)).toMatchObject({ reason: 'connection_lost' });
  expect(await callLog(a.back)).toMatchObject([
    { callId, outcome: 'answered', endedAt: startedAt, durationMs: startedAt - answeredAt },
  ]);
});

test('a call that was still ringing at the stop ends as missed; both are free to call again', async () => {
  const callId = randomUUID();
  await alice.invite(callId, 'bob', 'audio', 'offer');
  await bob.nextOf('call.invite', callId);
  await server.stop();
  await server.restart();

  const a = await comeBack(alice);
  const b = await comeBack(bob);
  expect(a.session).toMatchObject({ calls: [] });
  expect(await callLog(a.back)).toMatchObject([{ callId, outcome: 'missed', durationMs: 0 }]);
  expect(await a.back.invite(randomUUID(), 'bob')).toMatchObject({ type: 'ok' });
  await b.back.nextOf('call.invite');
});
