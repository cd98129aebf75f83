import { createCall, growToThree, joinCall, roomsUser } from '../support/groupCall';
import { startAcceptedCall } from '../support/inCall';
import { startGroupCallServer } from '../support/groupCallServer';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Inviting": a party of an answered 1:1 call invites a third person. The two
// keep slots 0 and 1 and are not rung again; the path moves to sfu when the third joins.
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeEach(async () => {
  ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol']));
});
afterEach(() => server.dispose());

test('a 1:1 call grows: the third joins in slot 2, the pair keep 0 and 1 and move to the SFU', async () => {
  const callId = await startAcceptedCall(alice, bob);
  expect(await bob.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'ok',
  });
  const ring = await carol.nextOf('room.invite', callId);
  expect(ring).toMatchObject({
    from: { username: 'bob', deviceId: bob.deviceId },
    media: 'video',
    slot: 2,
    path: 'p2p',
    members: [
      expect.objectContaining({ slot: 0, deviceId: alice.deviceId, share: null }),
      expect.objectContaining({ slot: 1, deviceId: bob.deviceId, share: null }),
    ],
  });
  // The pair learn of the invitation and send member shares for their slots.
  for (const [party, slot] of [
    [alice, 0],
    [bob, 1],
  ] as const) {
    expect(await party.nextOf('room.invitation', callId)).toMatchObject({
      invitation: { user: { username: 'carol' }, state: 'ringing', invitedBy: 1 },
    });
    party.send({ v: 1, type: 'room.share', callId, share: party.memberShare(callId, slot) });
  }
  expect(await carol.nextOf('room.share', callId)).toMatchObject({ slot: expect.any(Number) });

  const state = await carol.request({
    type: 'room.join',
    callId,
    share: carol.memberShare(callId, 2),
  });
  expect(state).toMatchObject({ type: 'room', slot: 2, path: 'sfu' });
  if (state.type !== 'room') throw new Error('not joined');
  expect(state.members.map((m) => [m.slot, m.share?.slot ?? null])).toEqual([
    [0, 0],
    [1, 1],
    [2, 2],
  ]);
  for (const party of [alice, bob]) {
    expect(await party.nextOf('room.member_joined', callId)).toMatchObject({
      member: { slot: 2, deviceId: carol.deviceId },
    });
    expect(await party.nextOf('room.path', callId)).toMatchObject({ path: 'sfu' });
  }
  // Nobody was rung again with a 1:1 invite, and nothing ended.
  for (const party of [alice, bob]) {
    expect(
      await party.collect(200, (m) =>
        ['call.invite', 'call.hangup', 'room.ended'].includes(m.type),
      ),
    ).toEqual([]);
  }

  // A party's hang-up is now a leave; when one member is left the call ends as a group call.
  bob.send({ v: 1, type: 'call.hangup', callId });
  expect(await alice.nextOf('room.member_left', callId)).toMatchObject({ slot: 1, reason: 'left' });
  carol.send({ v: 1, type: 'room.leave', callId });
  expect(await alice.nextOf('room.ended', callId)).toMatchObject({ callId });
  expect(await alice.collect(200, (m) => m.type === 'call.hangup')).toEqual([]);
});

test("a grown call keeps the server's member limit: room_full", async () => {
  await server.dispose();
  ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol'], {
    maxCallMembers: 3,
  }));
  const dave = await roomsUser(server, 'dave');
  const callId = await startAcceptedCall(alice, bob);
  expect(await alice.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'ok',
  });
  expect(await alice.request({ type: 'room.invite', callId, to: 'dave' })).toMatchObject({
    type: 'error',
    code: 'room_full',
    callId,
  });
  expect(await dave.collect(200, (m) => m.type.startsWith('room'))).toEqual([]);
});

test('a 1:1 call whose other party did not negotiate rooms cannot grow: no_group_calls', async () => {
  const plain = await server.registered('dave');
  const callId = await startAcceptedCall(alice, plain);
  expect(await alice.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'error',
    code: 'no_group_calls',
    callId,
  });
  expect(await carol.collect(200, (m) => m.type.startsWith('room'))).toEqual([]);
  expect(await plain.collect(100, (m) => m.type.startsWith('room'))).toEqual([]);
});

test('a 1:1 call that still rings cannot grow, and a stranger cannot grow one', async () => {
  const callId = '7a1f1c1e-8a55-4c6b-9d83-2f1f0b7a9e10';
  expect(await alice.invite(callId, 'bob')).toMatchObject({ type: 'ok' });
  await bob.nextOf('call.invite', callId);
  expect(await alice.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    code: 'call_state',
  });
  expect(await carol.request({ type: 'room.invite', callId, to: 'bob' })).toMatchObject({
    code: 'not_in_call',
  });
  // The call goes on as 1:1: Bob answers and Alice hears it.
  bob.accept(callId);
  expect(await alice.nextOf('call.accept', callId)).toMatchObject({ callId });
});

test('before the third joins, a hang-up ends the 1:1 call for both and the ringing invitation with it', async () => {
  const callId = await startAcceptedCall(alice, bob);
  await alice.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  alice.send({ v: 1, type: 'call.hangup', callId });
  expect(await bob.nextOf('call.hangup', callId)).toMatchObject({ callId });
  expect(await carol.nextOf('room.invite_ended', callId)).toMatchObject({ reason: 'ended' });
});

/** What `client` is sent of room.carried, and the errors that name `callId`, within `ms`. */
const carriedOrRefused = (client: TestClient, callId: string, ms = 200) =>
  client.collect(
    ms,
    (m) => m.type === 'room.carried' || (m.type === 'error' && m.callId === callId),
  );

test('each party of a grown call tells the other, and only the other, that the SFU carries them', async () => {
  const callId = await growToThree(alice, bob, carol);
  alice.send({ v: 1, type: 'room.carried', callId });
  expect(await bob.nextOf('room.carried', callId)).toEqual({
    v: 1,
    type: 'room.carried',
    callId,
    slot: 0,
    seq: expect.any(Number),
  });
  bob.send({ v: 1, type: 'room.carried', callId });
  expect(await alice.nextOf('room.carried', callId)).toMatchObject({ callId, slot: 1 });
  // Carol was never in the 1:1 call: she is told nothing, and nobody was refused.
  expect(await carriedOrRefused(carol, callId)).toEqual([]);
  expect(await carriedOrRefused(alice, callId)).toEqual([]);
  expect(await carriedOrRefused(bob, callId)).toEqual([]);
});

test('room.carried from anyone but a party of a grown call on the SFU with its pair is refused and tells nobody', async () => {
  // The third person.
  const callId = await growToThree(alice, bob, carol);
  carol.send({ v: 1, type: 'room.carried', callId });
  expect(await carol.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  // A stranger to the call.
  const dave = await roomsUser(server, 'dave');
  dave.send({ v: 1, type: 'room.carried', callId });
  expect(await dave.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
  // A party whose other party left: no pair any more.
  bob.send({ v: 1, type: 'room.leave', callId });
  await alice.nextOf('room.member_left', callId);
  alice.send({ v: 1, type: 'room.carried', callId });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'call_state', callId });
  for (const client of [bob, carol, dave]) {
    expect(await client.collect(200, (m) => m.type === 'room.carried')).toEqual([]);
  }

  // A grown call still on its 1:1 connection (the third only rings).
  const erin = await roomsUser(server, 'erin');
  const frank = await roomsUser(server, 'frank');
  const ringing = await startAcceptedCall(erin, frank);
  await erin.request({ type: 'room.invite', callId: ringing, to: 'dave' });
  await frank.nextOf('room.invitation', ringing);
  erin.send({ v: 1, type: 'room.carried', callId: ringing });
  expect(await erin.nextOf('error')).toMatchObject({ code: 'call_state', callId: ringing });
  expect(await frank.collect(200, (m) => m.type === 'room.carried')).toEqual([]);

  // A call made as a group call has no 1:1 pair, even in slots 0 and 1.
  const gina = await roomsUser(server, 'gina');
  const harry = await roomsUser(server, 'harry');
  const { callId: created } = await createCall(gina);
  await joinCall(gina, harry, created);
  gina.send({ v: 1, type: 'room.carried', callId: created });
  expect(await gina.nextOf('error')).toMatchObject({ code: 'call_state', callId: created });
  expect(await harry.collect(200, (m) => m.type === 'room.carried')).toEqual([]);
});

test("a grown call's party whose connection drops is reconnecting to the others, and joined again when back", async () => {
  const callId = await growToThree(alice, bob, carol);
  await bob.close();
  for (const other of [alice, carol]) {
    expect(await other.nextOf('room.member_state', callId)).toMatchObject({
      slot: 1,
      state: 'reconnecting',
    });
  }
  const again = await server.client();
  expect(await again.resume(bob)).toMatchObject({ type: 'session' });
  for (const other of [alice, carol]) {
    expect(await other.nextOf('room.member_state', callId)).toMatchObject({
      slot: 1,
      state: 'joined',
    });
  }
  // The caller's drop is told the same way.
  await alice.close();
  expect(await carol.nextOf('room.member_state', callId)).toMatchObject({
    slot: 0,
    state: 'reconnecting',
  });
});

test('before the third joins, a party whose connection drops is away as in a 1:1 call: nobody is told', async () => {
  const callId = await startAcceptedCall(alice, bob);
  await bob.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  await bob.close();
  expect(await alice.collect(300, (m) => m.type === 'room.member_state')).toEqual([]);
  expect(await carol.collect(100, (m) => m.type === 'room.member_state')).toEqual([]);
});

test('a grown call taken back in as 1:1 after a restart (its third only rang) can grow again', async () => {
  const callId = await startAcceptedCall(alice, bob);
  await bob.request({ type: 'room.invite', callId, to: 'carol' });
  await carol.nextOf('room.invite', callId);
  await server.stop();
  await server.restart();
  const back = async (client: TestClient) => {
    const again = await server.client();
    expect(await again.resume(client)).toMatchObject({ type: 'session' });
    expect(await again.negotiateRooms()).toMatchObject({ features: ['rooms'] });
    return again;
  };
  const aliceAgain = await back(alice);
  await back(bob);
  const carolAgain = await back(carol);
  expect(await aliceAgain.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'ok',
  });
  const ring = await carolAgain.nextOf('room.invite', callId);
  expect(ring.slot).toBe(2);
  expect(
    await carolAgain.request({ type: 'room.join', callId, share: carol.memberShare(callId, 2) }),
  ).toMatchObject({ type: 'room', slot: 2, path: 'sfu' });
});
