import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ServerMessageOf } from '../../../protocol';
import { DATABASE_FILE } from '../../../server/db/openDatabase';
import { FakeTime } from '../calls/fakeTime';
import { createCall, growToThree, joinCall, roomsUser } from '../support/groupCall';
import { startGroupCallServer } from '../support/groupCallServer';
import { startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Call log" (group calls) and "Calls across disconnects" (`calls`): group calls
// in each person's log, from their side, through the real server and SQLite; a connection that
// did not negotiate `rooms` sees the log exactly as before group calls.
let time: FakeTime;
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeEach(async () => {
  time = new FakeTime();
  ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol'], {
    time: { clock: time, scheduler: time },
  }));
});
afterEach(() => server.dispose());

type Entry = ServerMessageOf<'calllog'>['entries'][number];

async function callLog(client: TestClient): Promise<Entry[]> {
  const reply = await client.request({ type: 'calllog.list' });
  if (reply.type !== 'calllog') throw new Error(JSON.stringify(reply));
  return reply.entries;
}

/** The same device signed in again on a connection that did not negotiate `rooms`. */
async function withoutRooms(client: TestClient): Promise<TestClient> {
  const plain = await server.client();
  expect(await plain.resume(client)).toMatchObject({ type: 'session' });
  return plain;
}

const person = (username: string, joined: boolean) => ({
  username,
  displayName: username.toUpperCase(),
  joined,
});

/** What a test says of a group call's log entry: the peer and the others by username only. */
type Seen = Partial<Omit<Entry, 'callId' | 'peer' | 'group'>> & {
  peer?: string;
  /** The others in the call, in the entry's order, each with whether they joined. */
  othersJoined?: Record<string, boolean>;
};

/** Each client's log holds only the call, with the fields its row says. */
async function expectLogs(callId: string, rows: [TestClient, Seen][]): Promise<void> {
  for (const [client, { peer, othersJoined, ...fields }] of rows) {
    expect(await callLog(client)).toEqual([
      expect.objectContaining({
        callId,
        ...fields,
        ...(peer ? { peer: { username: peer, displayName: peer.toUpperCase() } } : {}),
        ...(othersJoined
          ? {
              group: {
                others: Object.entries(othersJoined).map(([user, joined]) => person(user, joined)),
              },
            }
          : {}),
      }),
    ]);
  }
}

test('a group call in each log: joined with its duration, declined, and the others named', async () => {
  const { callId } = await createCall(alice);
  const startedAt = time.now();
  time.advance(2_000);
  await joinCall(alice, bob, callId);
  const bobJoined = time.now();
  await alice.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  carol.send({ v: 1, type: 'room.decline', callId });
  await alice.next((m) => m.type === 'room.invitation' && m.invitation.state === 'declined');
  time.advance(60_000);
  bob.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.ended', callId);

  expect(await callLog(alice)).toEqual([
    {
      callId,
      direction: 'outgoing',
      peer: { username: 'bob', displayName: 'BOB' },
      media: 'video',
      outcome: 'answered',
      startedAt,
      answeredAt: bobJoined,
      endedAt: bobJoined + 60_000,
      durationMs: 60_000,
      count: 1,
      group: { others: [person('bob', true), person('carol', false)] },
    },
  ]);
  await expectLogs(callId, [
    [
      bob,
      {
        direction: 'incoming',
        peer: 'alice',
        outcome: 'answered',
        durationMs: 60_000,
        othersJoined: { alice: true, carol: false },
      },
    ],
    [
      carol,
      {
        direction: 'incoming',
        peer: 'alice',
        outcome: 'declined',
        answeredAt: null,
        durationMs: 0,
        othersJoined: { alice: true, bob: true },
      },
    ],
  ]);
  // A client that does not know group calls is not shown them.
  expect(await callLog(await withoutRooms(alice))).toEqual([]);
});

test('a group call nobody answered: no answer for its creator, missed for the one rung', async () => {
  await server.dispose();
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], {
    time: { clock: time, scheduler: time },
    ringTimeoutMs: 45_000,
  }));
  const { callId } = await createCall(alice);
  await alice.request({ type: 'room.invite', callId, to: 'bob' });
  await bob.nextOf('room.invite', callId);
  time.advance(45_000);
  await bob.nextOf('room.invite_ended', callId);
  alice.send({ v: 1, type: 'room.leave', callId });
  await alice.collect(100);

  await expectLogs(callId, [
    [
      alice,
      { direction: 'outgoing', outcome: 'missed', durationMs: 0, othersJoined: { bob: false } },
    ],
    [bob, { direction: 'incoming', outcome: 'missed' }],
  ]);
});

test('a 1:1 call that a third person joined is one group entry; an older client still sees the 1:1 call', async () => {
  const answeredAt = time.now();
  const callId = await growToThree(alice, bob, carol);
  const carolJoined = time.now();
  time.advance(30_000);
  carol.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.member_left', callId);
  time.advance(10_000);
  bob.send({ v: 1, type: 'call.hangup', callId });
  await alice.nextOf('room.ended', callId);

  await expectLogs(callId, [
    [
      alice,
      {
        direction: 'outgoing',
        peer: 'bob',
        outcome: 'answered',
        durationMs: 40_000,
        othersJoined: { bob: true, carol: true },
      },
    ],
    [
      carol,
      {
        direction: 'incoming',
        // Bob rang her.
        peer: 'bob',
        outcome: 'answered',
        answeredAt: carolJoined,
        durationMs: 30_000,
        othersJoined: { alice: true, bob: true },
      },
    ],
  ]);
  const [plain] = await callLog(await withoutRooms(alice));
  expect(plain).toEqual({
    callId,
    direction: 'outgoing',
    peer: { username: 'bob', displayName: 'BOB' },
    media: 'video',
    outcome: 'answered',
    startedAt: answeredAt,
    answeredAt,
    endedAt: answeredAt + 40_000,
    durationMs: 40_000,
    count: 1,
  });
});

test('a 1:1 call whose invitation was declined stays 1:1 for its pair; the one rung has it as declined', async () => {
  const callId = await startAcceptedCall(alice, bob);
  await alice.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  carol.send({ v: 1, type: 'room.decline', callId });
  await carol.nextOf('room.invite_ended', callId);
  alice.send({ v: 1, type: 'call.hangup', callId });
  await bob.nextOf('call.hangup', callId);

  const [entry] = await callLog(alice);
  expect(entry).toMatchObject({ callId, outcome: 'answered', peer: { username: 'bob' } });
  expect(entry).not.toHaveProperty('group');
  await expectLogs(callId, [
    [
      carol,
      {
        direction: 'incoming',
        peer: 'alice',
        outcome: 'declined',
        othersJoined: { alice: true, bob: true },
      },
    ],
  ]);
});

test('each person removes a group call from their own log only; clear takes group calls too', async () => {
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  await joinCall(alice, carol, callId);
  carol.send({ v: 1, type: 'room.leave', callId });
  bob.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.ended', callId);

  // A client that is not shown group calls cannot remove one.
  const plainCarol = await withoutRooms(carol);
  expect(await plainCarol.request({ type: 'calllog.delete', callId })).toMatchObject({
    type: 'error',
    code: 'unknown_log_entry',
  });
  carol = await server.client();
  await carol.resume(plainCarol);
  await carol.negotiateRooms();
  expect(await carol.request({ type: 'calllog.delete', callId })).toMatchObject({ type: 'ok' });
  expect(await callLog(carol)).toEqual([]);
  expect(await callLog(bob)).toEqual([expect.objectContaining({ callId })]);
  expect(await carol.request({ type: 'calllog.delete', callId })).toMatchObject({
    type: 'error',
    code: 'unknown_log_entry',
    callId,
  });
  const dave = await roomsUser(server, 'dave');
  expect(await dave.request({ type: 'calllog.delete', callId })).toMatchObject({
    code: 'unknown_log_entry',
  });

  expect(await bob.request({ type: 'calllog.clear' })).toMatchObject({ type: 'ok' });
  expect(await callLog(bob)).toEqual([]);
  expect(await callLog(alice)).toEqual([expect.objectContaining({ callId })]);
  // Gone for good: across a restart too.
  await server.stop();
  await server.restart();
  const bobAgain = await server.client();
  await bobAgain.resume(bob);
  await bobAgain.negotiateRooms();
  expect(await callLog(bobAgain)).toEqual([]);
});

test("a group call's members find it in `calls` when they sign in again, with their slot and the path", async () => {
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  const answeredAt = time.now();
  const bobAgain = await server.client();
  expect(await bobAgain.resume(bob)).toMatchObject({
    calls: [
      {
        callId,
        peer: { username: 'alice' },
        media: 'video',
        role: 'callee',
        state: 'accepted',
        answeredAt,
        group: { slot: 1, path: 'sfu' },
      },
    ],
  });
  // A device that only rings for a call does not have it in `calls`.
  await alice.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  const carolAgain = await server.client();
  expect(await carolAgain.resume(carol)).toMatchObject({ calls: [] });
});

test("a grown call's parties and its third member find it in `calls` as a group call", async () => {
  const callId = await growToThree(alice, bob, carol);
  const again = async (client: TestClient) => (await server.client()).resume(client);
  expect(await again(alice)).toMatchObject({
    calls: [{ callId, role: 'caller', peer: { username: 'bob' }, group: { slot: 0, path: 'sfu' } }],
  });
  expect(await again(carol)).toMatchObject({
    calls: [
      { callId, role: 'callee', peer: { username: 'alice' }, group: { slot: 2, path: 'sfu' } },
    ],
  });
});

test('a group call still going on is not in the log yet', async () => {
  const { callId } = await createCall(alice, randomUUID());
  await joinCall(alice, bob, callId);
  expect(await callLog(alice)).toEqual([]);
  expect(await callLog(bob)).toEqual([]);
});

test('an invitation is on disk before the inviter is answered ok', async () => {
  await server.dispose();
  // Commits wait 300 ms for more writes: an `ok` sent before the commit would arrive first.
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], { commitDelayMs: 300 }));
  const { callId } = await createCall(alice);
  expect(await alice.request({ type: 'room.invite', callId, to: 'bob' })).toMatchObject({
    type: 'ok',
  });
  const reader = new Database(join(server.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const rows = reader.prepare('SELECT state FROM call_invitations WHERE call_id = ?').all(callId);
    expect(rows).toEqual([{ state: null }]);
  } finally {
    reader.close();
  }
});
