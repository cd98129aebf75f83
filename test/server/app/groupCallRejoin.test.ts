import { randomUUID } from 'node:crypto';
import {
  SENDER_KEY_BYTES,
  SENDER_KEY_WRAP_IV_BYTES,
  SENDER_KEY_WRAP_TAG_BYTES,
  type ServerMessageOf,
} from '../../../protocol';
import { createCall, joinCall, roomsUser } from '../support/groupCall';
import { startAcceptedCall } from '../support/inCall';
import { startGroupCallServer } from '../support/groupCallServer';
import { storedParticipants } from '../support/storedParticipants';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Leaving and the end": a member device that lost its keys and media (a
// reloaded page, a restarted app) comes back with `room.rejoin`: its old slot leaves as
// `rejoined`, it joins in a new slot, and its old slot is gone for good. Through the real server
// and SQLite (the SFU is the fake media router: nothing here sends media).
let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeEach(async () => {
  ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol']));
});
afterEach(() => server.dispose());

const roomNotices = (client: TestClient, ms = 300) =>
  client.collect(ms, (m) => m.type.startsWith('room'));

/** `client`'s device signs in again on a new connection (a reloaded page) and asks for rooms. */
async function reloaded(client: TestClient): Promise<{
  again: TestClient;
  session: ServerMessageOf<'session'>;
}> {
  await client.close();
  const again = await server.client();
  const session = await again.resume(client);
  if (session.type !== 'session') throw new Error(`not signed in: ${JSON.stringify(session)}`);
  await again.negotiateRooms();
  return { again, session };
}

test('a reloaded member rejoins in a new slot: the others see its old slot leave as rejoined and the new one join, and its old slot gets no keys any more', async () => {
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  await joinCall(alice, carol, callId);
  const { again, session } = await reloaded(carol);
  // The sign-in lists the call with Carol's old slot: what her client rejoins.
  expect(session.calls).toEqual([
    expect.objectContaining({ callId, state: 'accepted', group: { slot: 2, path: 'sfu' } }),
  ]);
  alice.inbox.length = 0;
  bob.inbox.length = 0;

  const state = await again.request({ type: 'room.rejoin', callId });
  expect(state).toMatchObject({ type: 'room', callId, slot: 3, path: 'sfu', media: 'video' });
  if (state.type !== 'room') throw new Error('not rejoined');
  expect(state.members.map((m) => [m.slot, m.deviceId, m.share?.slot ?? null])).toEqual([
    [0, alice.deviceId, 0],
    [1, bob.deviceId, 1],
    [3, carol.deviceId, null],
  ]);
  for (const other of [alice, bob]) {
    expect(await other.nextOf('room.member_left', callId)).toMatchObject({
      slot: 2,
      reason: 'rejoined',
    });
    expect(await other.nextOf('room.member_joined', callId)).toMatchObject({
      member: { slot: 3, deviceId: carol.deviceId, share: null, state: 'joined' },
    });
  }

  // Her share for the new slot reaches the others; one for the old slot is refused.
  again.send({ v: 1, type: 'room.share', callId, share: again.memberShare(callId, 2) });
  expect(await again.nextOf('error')).toMatchObject({ code: 'bad_message', callId });
  again.send({ v: 1, type: 'room.share', callId, share: again.memberShare(callId, 3) });
  expect(await bob.nextOf('room.share', callId)).toMatchObject({ slot: 3 });

  // A key for the old slot is refused whole; the new slot gets its key.
  const key = {
    from: 0,
    generation: 0,
    epoch: 1,
    iv: Buffer.alloc(SENDER_KEY_WRAP_IV_BYTES).toString('base64'),
    ciphertext: Buffer.alloc(SENDER_KEY_BYTES + SENDER_KEY_WRAP_TAG_BYTES).toString('base64'),
  };
  alice.send({ v: 1, type: 'room.keys', callId, keys: [{ ...key, to: 2 }] });
  expect(await alice.nextOf('error')).toMatchObject({ code: 'bad_message', callId });
  alice.send({ v: 1, type: 'room.keys', callId, keys: [{ ...key, to: 3 }] });
  expect(await again.nextOf('room.key', callId)).toMatchObject({ key: { from: 0, to: 3 } });

  // The call goes on for all three; the next sign-in names the new slot.
  const { session: later } = await reloaded(again);
  expect(later.calls).toEqual([
    expect.objectContaining({ callId, group: { slot: 3, path: 'sfu' } }),
  ]);

  // On disk before the reply: the old slot ended, the new one began.
  await server.stop();
  const participants = storedParticipants(server.dataDir, callId);
  expect(participants.map((p) => [p.slot, p.deviceId])).toEqual([
    [0, alice.deviceId],
    [1, bob.deviceId],
    [2, carol.deviceId],
    [3, carol.deviceId],
  ]);
  const oldSlot = participants.find((p) => p.slot === 2)!;
  const newSlot = participants.find((p) => p.slot === 3)!;
  expect(oldSlot.leftAt).toEqual(expect.any(Number));
  expect(newSlot.joinedAt).toBeGreaterThanOrEqual(oldSlot.leftAt!);
  await server.restart();
});

test('a member of a call of two rejoins too: the call does not end', async () => {
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  const { again } = await reloaded(bob);
  expect(await again.request({ type: 'room.rejoin', callId })).toMatchObject({
    type: 'room',
    slot: 2,
  });
  expect(await alice.nextOf('room.member_left', callId)).toMatchObject({
    slot: 1,
    reason: 'rejoined',
  });
  expect(await alice.nextOf('room.member_joined', callId)).toMatchObject({ member: { slot: 2 } });
  expect(await alice.collect(200, (m) => m.type === 'room.ended')).toEqual([]);
});

test('a rejoin is refused, and changes nothing, for a stranger, an unknown call, a creator still alone and a 1:1 call', async () => {
  const dave = await roomsUser(server, 'dave');
  const { callId } = await createCall(alice);
  await joinCall(alice, bob, callId);
  alice.inbox.length = 0;
  expect(await dave.request({ type: 'room.rejoin', callId })).toMatchObject({
    type: 'error',
    code: 'not_in_call',
    callId,
  });
  const unknown = randomUUID();
  expect(await bob.request({ type: 'room.rejoin', callId: unknown })).toMatchObject({
    type: 'error',
    code: 'unknown_call',
  });
  expect(await roomNotices(alice)).toEqual([]);

  // Alone in its call, nobody's keys were lost: the creator leaves and starts again.
  const { callId: alone } = await createCall(carol);
  expect(await carol.request({ type: 'room.rejoin', callId: alone })).toMatchObject({
    type: 'error',
    code: 'call_state',
  });

  // A 1:1 call that grew but is still peer to peer (its third only rang) is rejoined with
  // call.rejoin, in its own two slots.
  const erin = await roomsUser(server, 'erin');
  const oneToOne = await startAcceptedCall(dave, erin);
  expect(await dave.request({ type: 'room.invite', callId: oneToOne, to: 'alice' })).toMatchObject({
    type: 'ok',
  });
  expect(await dave.request({ type: 'room.rejoin', callId: oneToOne })).toMatchObject({
    type: 'error',
    code: 'call_state',
  });
  expect(await erin.collect(200, (m) => m.type === 'room.member_left')).toEqual([]);
});

test("a creator who rejoins keeps the call's link: it is told so with the link, whoever knocks is shown again, and it still answers them", async () => {
  const dave = await roomsUser(server, 'dave');
  const { callId, state: created } = await createCall(alice);
  expect(created.creator).toBe(true);
  const joined = await joinCall(alice, bob, callId);
  expect([joined.creator, joined.link]).toEqual([undefined, undefined]);
  const link = await alice.request({ type: 'room.link_create', callId, approval: true });
  if (link.type !== 'room.link') throw new Error(JSON.stringify(link));
  expect(await carol.request({ type: 'room.link_join', token: link.token })).toMatchObject({
    type: 'ok',
  });
  await alice.nextOf('room.knock', callId);

  const { again } = await reloaded(alice);
  const state = await again.request({ type: 'room.rejoin', callId });
  expect(state).toMatchObject({
    type: 'room',
    slot: 2,
    creator: true,
    link: { token: link.token, approval: true },
  });
  expect(await again.nextOf('room.knock', callId)).toMatchObject({ user: { username: 'carol' } });
  // Carol still waits (nobody turned her away), and the creator in its new slot lets her in.
  expect(await carol.collect(200, (m) => m.type === 'room.knock_refused')).toEqual([]);
  expect(
    await again.request({ type: 'room.admit', callId, username: 'carol', admit: true }),
  ).toMatchObject({ type: 'ok' });
  expect(await carol.nextOf('room.invite', callId)).toMatchObject({ callId });
  // It may still revoke the link; another member may not, and is told neither creator nor link.
  expect(await bob.request({ type: 'room.link_revoke', callId })).toMatchObject({
    type: 'error',
    code: 'not_in_call',
  });
  expect(await again.request({ type: 'room.link_revoke', callId })).toMatchObject({ type: 'ok' });
  expect(await dave.request({ type: 'room.link_open', token: link.token })).toMatchObject({
    type: 'error',
    code: 'call_link_revoked',
  });
});

/** Alice's 1:1 call to Bob grows: Alice invites Carol, who only rings; both send member shares. */
async function grownCallRingingCarol(): Promise<string> {
  const callId = await startAcceptedCall(alice, bob);
  expect(await alice.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
    type: 'ok',
  });
  for (const [party, slot] of [
    [alice, 0],
    [bob, 1],
  ] as const) {
    await party.nextOf('room.invitation', callId);
    party.send({ v: 1, type: 'room.share', callId, share: party.memberShare(callId, slot) });
  }
  await carol.nextOf('room.invite', callId);
  await carol.next((m) => m.type === 'room.share' && m.slot === 0);
  await carol.next((m) => m.type === 'room.share' && m.slot === 1);
  return callId;
}

test('a party of a grown call still on p2p comes back with call.rejoin: its old share is dropped before the other party hears of it, room.rejoin gives it the room state in its own slot, and whoever joins gets only its new share', async () => {
  const callId = await grownCallRingingCarol();
  const { again, session } = await reloaded(alice);
  expect(session.calls).toEqual([
    expect.objectContaining({
      callId,
      role: 'caller',
      state: 'accepted',
      group: { slot: 0, path: 'p2p' },
    }),
  ]);
  bob.inbox.length = 0;

  // Before call.rejoin her slot keeps its place (and its share): nothing to rejoin yet.
  expect(await again.request({ type: 'room.rejoin', callId })).toMatchObject({
    type: 'error',
    code: 'call_state',
    callId,
  });
  const keyShare = again.keyShare('caller', callId);
  again.send({ v: 1, type: 'call.rejoin', callId, sdp: 'offer-after-reload', keyShare });
  expect(await bob.nextOf('call.rejoin', callId)).toMatchObject({ sdp: 'offer-after-reload' });
  // Bob kept his keys: his answer drops nothing of his.
  bob.send({
    v: 1,
    type: 'call.rejoined',
    callId,
    sdp: 'answer-after-reload',
    keyShare: bob.keyShare('callee', callId),
  });
  await again.nextOf('call.rejoined', callId);

  const state = await again.request({ type: 'room.rejoin', callId });
  expect(state).toMatchObject({ type: 'room', callId, slot: 0, path: 'p2p', media: 'video' });
  if (state.type !== 'room') throw new Error('not rejoined');
  expect(state.members.map((m) => [m.slot, m.deviceId, m.share?.slot ?? null])).toEqual([
    [0, alice.deviceId, null],
    [1, bob.deviceId, 1],
  ]);
  expect(state.invitations).toEqual([
    { user: { username: 'carol', displayName: 'CAROL' }, state: 'ringing', invitedBy: 0 },
  ]);
  // Nobody left or joined: the slot is the same party's, in the same 1:1 role.
  expect(
    await bob.collect(200, (m) => ['room.member_left', 'room.member_joined'].includes(m.type)),
  ).toEqual([]);

  // Her new share (a new ephemeral key) reaches Bob and the ringing Carol.
  const fresh = again.memberShare(callId, 0);
  again.send({ v: 1, type: 'room.share', callId, share: fresh });
  expect(await bob.nextOf('room.share', callId)).toMatchObject({ slot: 0, share: fresh });
  expect(await carol.nextOf('room.share', callId)).toMatchObject({ slot: 0, share: fresh });
  // Her share sent, room.rejoin would be a rejoin of a call on p2p again: refused.
  expect(await again.request({ type: 'room.rejoin', callId })).toMatchObject({
    type: 'error',
    code: 'call_state',
  });

  const joined = await carol.request({
    type: 'room.join',
    callId,
    share: carol.memberShare(callId, 2),
  });
  if (joined.type !== 'room') throw new Error(`not joined: ${JSON.stringify(joined)}`);
  expect(joined.members.map((m) => [m.slot, m.share])).toEqual([
    [0, fresh],
    [1, expect.objectContaining({ slot: 1 })],
    [2, expect.objectContaining({ slot: 2 })],
  ]);
});

test('an invitee who joins between the call.rejoin and the new share finds no share for that slot: the lost one is never handed out', async () => {
  const callId = await grownCallRingingCarol();
  const { again } = await reloaded(alice);
  again.send({
    v: 1,
    type: 'call.rejoin',
    callId,
    sdp: 'offer-after-reload',
    keyShare: again.keyShare('caller', callId),
  });
  await bob.nextOf('call.rejoin', callId);
  const joined = await carol.request({
    type: 'room.join',
    callId,
    share: carol.memberShare(callId, 2),
  });
  if (joined.type !== 'room') throw new Error(`not joined: ${JSON.stringify(joined)}`);
  expect(joined.members.map((m) => [m.slot, m.share?.slot ?? null])).toEqual([
    [0, null],
    [1, 1],
    [2, 2],
  ]);
});

test('a call.rejoin of a grown call already on the SFU drops no share: room.rejoin takes a new slot there', async () => {
  const callId = await grownCallRingingCarol();
  const joined = await carol.request({
    type: 'room.join',
    callId,
    share: carol.memberShare(callId, 2),
  });
  expect(joined).toMatchObject({ type: 'room', path: 'sfu' });
  const { again } = await reloaded(bob);
  again.send({
    v: 1,
    type: 'call.rejoin',
    callId,
    sdp: 'offer-after-reload',
    keyShare: again.keyShare('callee', callId),
  });
  const state = await again.request({ type: 'room.rejoin', callId });
  expect(state).toMatchObject({ type: 'room', slot: 3, path: 'sfu' });
  if (state.type !== 'room') throw new Error('not rejoined');
  expect(state.members.map((m) => [m.slot, m.share?.slot ?? null])).toEqual([
    [0, 0],
    [2, 2],
    [3, null],
  ]);
});
