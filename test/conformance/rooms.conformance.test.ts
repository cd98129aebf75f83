/**
 * Independent conformance check of "Group calls" in docs/protocol.md: negotiate `rooms`, create a
 * call, invite, join, hear the member join, leave, and the end; and the refusals of a connection
 * that did not negotiate.
 *
 * Everything asserted here is taken from that document alone; the client is DocClient.ts.
 */
import * as crypto from 'node:crypto';
import {
  makeKeyShare,
  makeMemberShare,
  memberShareText,
  verifySignature,
  type Msg,
} from './DocClient';
import { byCall, expectError, useServer, type User } from './harness';
import { fingerprintOf, sdp } from './sdpFixtures';

jest.setTimeout(20_000);

const h = useServer({ sfuPorts: { min: 47700, max: 47799 } });

async function roomsUser(base: string): Promise<User> {
  const u = await h.newUser(base);
  const reply = await u.c.request('features', { features: ['rooms', 'no-such-feature'] });
  expect(reply).toMatchObject({ type: 'features', features: ['rooms'] });
  return u;
}

function share(u: User, callId: string, slot: number) {
  return makeMemberShare(u.identity, { callId, slot, username: u.username, deviceId: u.deviceId });
}

/** "Group-call keys": a member's share verifies with the last key of its identity chain. */
function shareVerifies(member: Msg, callId: string): boolean {
  const chain = member.identity as { identityKey: string }[];
  const s = member.share as {
    ephemeralKey: string;
    slot: number;
    signedAt: number;
    signature: string;
  };
  const user = member.user as { username: string };
  const text = memberShareText({
    callId,
    slot: member.slot as number,
    username: user.username,
    deviceId: member.deviceId as string,
    ephemeralKey: s.ephemeralKey,
    signedAt: s.signedAt,
  });
  return (
    s.slot === member.slot &&
    verifySignature(chain[chain.length - 1]!.identityKey, text, s.signature)
  );
}

test('create -> invite -> join -> member_joined -> leave -> ended', async () => {
  const alice = await roomsUser('alice');
  const bob = await roomsUser('bob');
  const carol = await roomsUser('carol');
  const callId = crypto.randomUUID();

  const created = await alice.c.request('room.create', {
    callId,
    media: 'video',
    share: share(alice, callId, 0),
  });
  expect(created).toMatchObject({ type: 'room', callId, media: 'video', slot: 0, path: 'sfu' });
  expect(created.members).toHaveLength(1);
  expect(created.invitations).toEqual([]);

  // "the next unused ones in order": Bob's one device gets 1, then Carol's 2.
  for (const [guest, expectedSlot] of [
    [bob, 1],
    [carol, 2],
  ] as const) {
    expect(await alice.c.request('room.invite', { callId, to: guest.username })).toMatchObject({
      type: 'ok',
    });
    const ring = await guest.c.next('room.invite', byCall(callId));
    expect(ring).toMatchObject({
      from: { username: alice.username, deviceId: alice.deviceId },
      media: 'video',
      path: 'sfu',
    });
    // Every member with a share verifies.
    for (const member of ring.members as Msg[]) expect(shareVerifies(member, callId)).toBe(true);
    expect(await alice.c.next('room.invitation', byCall(callId))).toMatchObject({
      invitation: { user: { username: guest.username }, state: 'ringing', invitedBy: 0 },
    });
    const slot = ring.slot as number;
    expect(slot).toBe(expectedSlot);
    const joined = await guest.c.request('room.join', {
      callId,
      share: share(guest, callId, slot),
    });
    expect(joined).toMatchObject({ type: 'room', callId, slot, path: 'sfu' });
    const memberJoined = await alice.c.next('room.member_joined', byCall(callId));
    expect(memberJoined.member).toMatchObject({
      slot,
      user: { username: guest.username },
      deviceId: guest.deviceId,
      state: 'joined',
    });
    expect(shareVerifies(memberJoined.member as Msg, callId)).toBe(true);
    expect(await alice.c.next('room.invitation', byCall(callId))).toMatchObject({
      invitation: { state: 'joined' },
    });
  }
  // Members already in the call hear of each later joiner.
  expect(await bob.c.next('room.member_joined', byCall(callId))).toMatchObject({
    member: { slot: 2, deviceId: carol.deviceId },
  });

  carol.c.notify('room.leave', { callId });
  for (const member of [alice, bob]) {
    const left = await member.c.next('room.member_left', byCall(callId));
    expect(left).toMatchObject({ reason: 'left' });
  }
  bob.c.notify('room.leave', { callId });
  expect(await alice.c.next('room.ended', byCall(callId))).toMatchObject({ callId });
});

test('a connection that did not negotiate rooms is refused with bad_message and never rung', async () => {
  const alice = await roomsUser('alice');
  const plain = await h.newUser('plain');
  const callId = crypto.randomUUID();
  const refused = await plain.c.request('room.create', {
    callId,
    media: 'audio',
    share: share(plain, callId, 0),
  });
  expectError(refused, 'bad_message');
  await alice.c.request('room.create', { callId, media: 'audio', share: share(alice, callId, 0) });
  const invite = await alice.c.request('room.invite', { callId, to: plain.username });
  expectError(invite, 'callee_offline');
  expect(await plain.c.collect('room.invite')).toEqual([]);
});

test('a join for another slot than the invite gave is call_state; a stranger is not_in_call', async () => {
  const alice = await roomsUser('alice');
  const bob = await roomsUser('bob');
  const eve = await roomsUser('eve');
  const callId = crypto.randomUUID();
  await alice.c.request('room.create', { callId, media: 'audio', share: share(alice, callId, 0) });
  await alice.c.request('room.invite', { callId, to: bob.username });
  const ring = await bob.c.next('room.invite', byCall(callId));
  const wrong = await bob.c.request('room.join', {
    callId,
    share: share(bob, callId, (ring.slot as number) + 1),
  });
  expectError(wrong, 'call_state');
  const stranger = await eve.c.request('room.join', { callId, share: share(eve, callId, 1) });
  expectError(stranger, 'not_in_call');
  expect(await alice.c.collect('room.member_joined')).toEqual([]);
});

test('a 1:1 call grows: the pair keep slots 0 and 1, the third joins in 2, and the path moves to sfu', async () => {
  const alice = await roomsUser('alice');
  const bob = await roomsUser('bob');
  const carol = await roomsUser('carol');
  const callId = crypto.randomUUID();
  const callShare = (u: User, role: 'caller' | 'callee', fp: string) =>
    makeKeyShare(u.identity, { role, callId, username: u.username, deviceId: u.deviceId }, fp);
  const invited = await alice.c.request('call.invite', {
    callId,
    to: bob.username,
    media: 'audio',
    sdp: sdp('offer', fingerprintOf(1)),
    keyShare: callShare(alice, 'caller', fingerprintOf(1)),
  });
  expect(invited).toMatchObject({ type: 'ok' });
  await bob.c.next('call.invite', byCall(callId));
  bob.c.notify('call.accept', {
    callId,
    media: 'audio',
    sdp: sdp('answer', fingerprintOf(2)),
    keyShare: callShare(bob, 'callee', fingerprintOf(2)),
  });
  await alice.c.next('call.accept', byCall(callId));

  expect(await alice.c.request('room.invite', { callId, to: carol.username })).toMatchObject({
    type: 'ok',
  });
  const ring = await carol.c.next('room.invite', byCall(callId));
  expect(ring).toMatchObject({ slot: 2, path: 'p2p', media: 'audio' });
  expect((ring.members as Msg[]).map((m) => [m.slot, m.share])).toEqual([
    [0, null],
    [1, null],
  ]);
  // "On room.invitation ringing each of the two sends room.share".
  for (const [party, slot] of [
    [alice, 0],
    [bob, 1],
  ] as const) {
    await party.c.next('room.invitation', byCall(callId));
    party.c.notify('room.share', { callId, share: share(party, callId, slot) });
  }
  for (let i = 0; i < 2; i += 1) {
    const relayed = await carol.c.next('room.share', byCall(callId));
    expect([0, 1]).toContain(relayed.slot);
  }
  const joined = await carol.c.request('room.join', { callId, share: share(carol, callId, 2) });
  expect(joined).toMatchObject({ type: 'room', slot: 2, path: 'sfu' });
  for (const member of joined.members as Msg[]) expect(shareVerifies(member, callId)).toBe(true);
  for (const party of [alice, bob]) {
    expect(await party.c.next('room.member_joined', byCall(callId))).toMatchObject({
      member: { slot: 2 },
    });
    expect(await party.c.next('room.path', byCall(callId))).toMatchObject({ path: 'sfu' });
    expect(await party.c.collect('call.hangup', byCall(callId), 100)).toEqual([]);
  }
});

test('"Call log", group calls: each person sees the call from their side, with the others in it', async () => {
  const alice = await roomsUser('alice');
  const bob = await roomsUser('bob');
  const carol = await roomsUser('carol');
  const callId = crypto.randomUUID();
  await alice.c.request('room.create', { callId, media: 'audio', share: share(alice, callId, 0) });
  await alice.c.request('room.invite', { callId, to: bob.username });
  const ring = await bob.c.next('room.invite', byCall(callId));
  await bob.c.request('room.join', { callId, share: share(bob, callId, ring.slot as number) });
  await alice.c.request('room.invite', { callId, to: carol.username });
  await carol.c.next('room.invite', byCall(callId));
  carol.c.notify('room.decline', { callId });
  await carol.c.next('room.invite_ended', byCall(callId));
  bob.c.notify('room.leave', { callId });
  await alice.c.next('room.ended', byCall(callId));

  const person = (u: User, joined: boolean) => ({
    username: u.username,
    displayName: u.displayName,
    joined,
  });
  const logOf = async (u: User) => (await u.c.request('calllog.list', {})).entries as Msg[];
  expect(await logOf(alice)).toEqual([
    expect.objectContaining({
      callId,
      direction: 'outgoing',
      peer: { username: bob.username, displayName: bob.displayName },
      media: 'audio',
      outcome: 'answered',
      count: 1,
      group: { others: [person(bob, true), person(carol, false)] },
    }),
  ]);
  const [carolsEntry] = await logOf(carol);
  expect(carolsEntry).toMatchObject({
    callId,
    direction: 'incoming',
    peer: { username: alice.username },
    outcome: 'declined',
    answeredAt: null,
    durationMs: 0,
    group: { others: [person(alice, true), person(bob, true)] },
  });
  // "no field that group calls added": the same device on a connection that did not negotiate
  // rooms is not shown the call.
  const plain = await h.connect();
  expect(await plain.resume(alice)).toMatchObject({ type: 'session' });
  expect(await plain.request('calllog.list', {})).toMatchObject({ entries: [] });
});
