import { randomUUID } from 'node:crypto';
import { createCall, joinCall, requestCreate, roomsUser } from '../support/groupCall';
import { startAcceptedCall } from '../support/inCall';
import { startGroupCallServer } from '../support/groupCallServer';
import { storedParticipants } from '../support/storedParticipants';
import type { TestClient } from '../support/TestClient';
import type { TestServer } from '../support/testServer';

// docs/protocol.md "Group calls": starting, inviting, joining, declining and leaving, through the
// real server and SQLite (the SFU is the fake media router: nothing here sends media).
let server: TestServer;
let alice: TestClient;
let bob: TestClient;

/** Longer than any test's steps take on a busy machine; the ring-out test rings briefly. */
const RING_MS = 60_000;
const SHORT_RING_MS = 2_000;

async function startServer(ringTimeoutMs: number): Promise<void> {
  ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], { ringTimeoutMs }));
}

beforeEach(() => startServer(RING_MS));
afterEach(() => server.dispose());

const roomNotices = (client: TestClient, ms = 300) =>
  client.collect(ms, (m) => m.type.startsWith('room'));

describe('features', () => {
  test('a server with an SFU offers rooms, and only to a connection that asks', async () => {
    const carol = await server.registered('carol');
    expect(await carol.request({ type: 'features', features: ['teleport'] })).toMatchObject({
      type: 'features',
      features: [],
    });
    expect(await carol.negotiateRooms()).toMatchObject({ type: 'features', features: ['rooms'] });
  });

  test('a room message before features is refused with bad_message and creates nothing', async () => {
    const carol = await server.registered('carol');
    const callId = randomUUID();
    const refused = await requestCreate(carol, callId);
    expect(refused).toMatchObject({ type: 'error', code: 'bad_message', callId });
    // The call id is still free: nothing was made of it.
    await carol.negotiateRooms();
    expect((await createCall(carol, callId)).state.callId).toBe(callId);
  });

  test('a device signed in again has to negotiate again', async () => {
    const again = await server.client();
    expect(await again.resume(alice)).toMatchObject({ type: 'session' });
    expect(await again.request({ type: 'room.router', callId: randomUUID() })).toMatchObject({
      type: 'error',
      code: 'bad_message',
    });
  });
});

describe('starting a group call', () => {
  test('the creator is alone in slot 0 of a call whose path is sfu, and is told it is the creator', async () => {
    const { callId, state } = await createCall(alice);
    expect(state).toEqual({
      v: 1,
      type: 'room',
      re: expect.any(String),
      callId,
      media: 'video',
      slot: 0,
      path: 'sfu',
      creator: true,
      members: [
        {
          slot: 0,
          user: { username: 'alice', displayName: 'ALICE' },
          deviceId: alice.deviceId,
          identity: expect.any(Array),
          share: expect.objectContaining({ slot: 0 }),
          state: 'joined',
        },
      ],
      invitations: [],
    });
  });

  test('a share for another slot than 0 is refused, and the call id stays free', async () => {
    const callId = randomUUID();
    const refused = await requestCreate(alice, callId, { media: 'audio', slot: 1 });
    expect(refused).toMatchObject({ type: 'error', code: 'bad_message', callId });
    expect((await createCall(alice, callId)).state.slot).toBe(0);
  });

  test('a call id used before, by a 1:1 call or a group call, is call_state', async () => {
    const { callId } = await createCall(alice);
    const again = await requestCreate(bob, callId);
    expect(again).toMatchObject({ type: 'error', code: 'call_state', callId });
  });

  test('a user in a 1:1 call cannot start a group call, nor the other way round', async () => {
    const carol = await roomsUser(server, 'carol');
    await startAcceptedCall(alice, bob);
    const callId = randomUUID();
    const refused = await requestCreate(alice, callId);
    expect(refused).toMatchObject({ type: 'error', code: 'already_in_call' });
    await createCall(carol);
    expect(await carol.invite(randomUUID(), 'alice')).toMatchObject({
      type: 'error',
      code: 'already_in_call',
    });
  });
});

describe('inviting', () => {
  test('an invitation rings every device of the invitee that negotiated rooms, each with its own slot', async () => {
    const bobPhone = await server.linkedDevice(bob);
    await bobPhone.negotiateRooms();
    const bobOld = await server.linkedDevice(bob, 'old app');
    const { callId } = await createCall(alice);
    expect(await alice.request({ type: 'room.invite', callId, to: 'bob' })).toMatchObject({
      type: 'ok',
    });
    const rings = [
      await bob.nextOf('room.invite', callId),
      await bobPhone.nextOf('room.invite', callId),
    ];
    expect(rings.map((r) => r.slot).sort()).toEqual([1, 2]);
    expect(rings[0]).toMatchObject({
      from: { username: 'alice', displayName: 'ALICE', deviceId: alice.deviceId },
      media: 'video',
      path: 'sfu',
      members: [expect.objectContaining({ slot: 0, deviceId: alice.deviceId })],
    });
    expect(await alice.nextOf('room.invitation', callId)).toMatchObject({
      invitation: { user: { username: 'bob' }, state: 'ringing', invitedBy: 0 },
    });
    // The device whose connection did not ask for rooms is never sent one.
    expect(await roomNotices(bobOld)).toEqual([]);

    // The phone joins in its slot; the laptop stops ringing.
    const phoneSlot = rings[1]!.slot;
    const state = await bobPhone.request({
      type: 'room.join',
      callId,
      share: bobPhone.memberShare(callId, phoneSlot),
    });
    expect(state).toMatchObject({
      type: 'room',
      slot: phoneSlot,
      path: 'sfu',
      members: [
        expect.objectContaining({ slot: 0 }),
        expect.objectContaining({ slot: phoneSlot, deviceId: bobPhone.deviceId }),
      ],
      invitations: [
        { user: { username: 'bob', displayName: 'BOB' }, state: 'joined', invitedBy: 0 },
      ],
    });
    expect(await bob.nextOf('room.invite_ended', callId)).toMatchObject({
      reason: 'answered_elsewhere',
    });
    expect(await alice.nextOf('room.member_joined', callId)).toMatchObject({
      member: { slot: phoneSlot, deviceId: bobPhone.deviceId, state: 'joined' },
    });
    expect(await alice.nextOf('room.invitation', callId)).toMatchObject({
      invitation: { state: 'joined' },
    });
  });

  test('a join naming another slot than its own is call_state, and it still rings', async () => {
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    const ring = await bob.nextOf('room.invite', callId);
    const wrong = await bob.request({
      type: 'room.join',
      callId,
      share: bob.memberShare(callId, ring.slot + 1),
    });
    expect(wrong).toMatchObject({ type: 'error', code: 'call_state', callId });
    const right = await bob.request({
      type: 'room.join',
      callId,
      share: bob.memberShare(callId, ring.slot),
    });
    expect(right).toMatchObject({ type: 'room', slot: ring.slot });
  });

  test('a decline stops every device of the invitee; the creator stays and can invite again', async () => {
    const bobPhone = await server.linkedDevice(bob);
    await bobPhone.negotiateRooms();
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    await bob.nextOf('room.invite', callId);
    await bobPhone.nextOf('room.invite', callId);
    bobPhone.send({ v: 1, type: 'room.decline', callId });
    for (const device of [bob, bobPhone]) {
      expect(await device.nextOf('room.invite_ended', callId)).toMatchObject({
        reason: 'declined',
      });
    }
    await alice.nextOf('room.invitation', callId);
    expect(await alice.nextOf('room.invitation', callId)).toMatchObject({
      invitation: { user: { username: 'bob' }, state: 'declined' },
    });
    const carol = await roomsUser(server, 'carol');
    await joinCall(alice, carol, callId);
  });

  test('an invitation nobody answers rings out', async () => {
    await server.dispose();
    await startServer(SHORT_RING_MS);
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    await bob.nextOf('room.invite', callId);
    expect(await bob.next((m) => m.type === 'room.invite_ended', 4000)).toMatchObject({
      reason: 'timeout',
    });
  });

  test('refusals: each names its reason and nothing rings', async () => {
    const carol = await roomsUser(server, 'carol');
    const plain = await server.registered('dave');
    const { callId } = await createCall(alice);
    const invite = (from: TestClient, to: string, id = callId) =>
      from.request({ type: 'room.invite', callId: id, to });
    expect(await invite(alice, 'nobody')).toMatchObject({ code: 'unknown_user', callId });
    expect(await invite(alice, 'alice')).toMatchObject({ code: 'cannot_call_self' });
    expect(await invite(alice, 'dave')).toMatchObject({ code: 'callee_offline' });
    expect(await invite(carol, 'bob')).toMatchObject({ code: 'not_in_call' });
    expect(await invite(alice, 'bob', randomUUID())).toMatchObject({ code: 'unknown_call' });
    expect(await roomNotices(bob)).toEqual([]);
    expect(await roomNotices(plain)).toEqual([]);
    expect(await invite(alice, 'bob')).toMatchObject({ type: 'ok' });
    expect(await invite(alice, 'bob')).toMatchObject({ code: 'call_state' });
  });

  /** Alice's new call invites `invitee`: its invitation ends busy at once, and it never rings. */
  async function expectBusyNotRung(invitee: TestClient) {
    const { callId } = await createCall(alice);
    expect(
      await alice.request({ type: 'room.invite', callId, to: invitee.username }),
    ).toMatchObject({ type: 'ok' });
    await alice.nextOf('room.invitation', callId);
    expect(await alice.nextOf('room.invitation', callId)).toMatchObject({
      invitation: { user: { username: invitee.username }, state: 'busy' },
    });
    expect(await roomNotices(invitee)).toEqual([]);
  }

  test('a busy invitee ends busy at once and is not rung', async () => {
    const carol = await roomsUser(server, 'carol');
    const dave = await roomsUser(server, 'dave');
    await startAcceptedCall(carol, dave);
    await expectBusyNotRung(carol);
  });

  test('an invitee who blocked the inviter is busy to them, and is not rung', async () => {
    expect(await bob.request({ type: 'blocks.add', username: 'alice' })).toMatchObject({
      type: 'blocks',
    });
    await expectBusyNotRung(bob);
  });

  test('invitations count against the same invite limits as 1:1 calls: too_many_calls', async () => {
    await server.dispose();
    ({ server, alice, bob } = await startGroupCallServer(['alice', 'bob'], {
      inviteLimits: { perPair: { burst: 1, everyMs: 60_000 } },
    }));
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    await bob.nextOf('room.invite', callId);
    bob.send({ v: 1, type: 'room.decline', callId });
    await bob.nextOf('room.invite_ended', callId);
    const refused = await alice.request({ type: 'room.invite', callId, to: 'bob' });
    expect(refused).toMatchObject({ type: 'error', code: 'too_many_calls', callId });
    if (refused.type !== 'error') throw new Error('not refused');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(await roomNotices(bob)).toEqual([]);
  });

  test('members plus ringing invitations stop at the member limit: room_full', async () => {
    await server.dispose();
    let carol: TestClient;
    ({ server, alice, bob, carol } = await startGroupCallServer(['alice', 'bob', 'carol'], {
      maxCallMembers: 2,
    }));
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    expect(await alice.request({ type: 'room.invite', callId, to: 'carol' })).toMatchObject({
      type: 'error',
      code: 'room_full',
      callId,
    });
    expect(await roomNotices(carol)).toEqual([]);
  });
});

describe('leaving and the end', () => {
  test('a member who leaves is gone for the others; when one is left, the call ends', async () => {
    const carol = await roomsUser(server, 'carol');
    const { callId } = await createCall(alice);
    await joinCall(alice, bob, callId);
    await joinCall(alice, carol, callId);
    carol.send({ v: 1, type: 'room.leave', callId });
    for (const member of [alice, bob]) {
      expect(await member.nextOf('room.member_left', callId)).toMatchObject({
        slot: 2,
        reason: 'left',
      });
    }
    bob.send({ v: 1, type: 'room.leave', callId });
    expect(await alice.nextOf('room.ended', callId)).toEqual({
      v: 1,
      type: 'room.ended',
      callId,
      seq: expect.any(Number),
    });
    expect(await roomNotices(bob)).not.toContainEqual(
      expect.objectContaining({ type: 'room.ended' }),
    );
    // The call is over: leaving it again is unknown.
    alice.send({ v: 1, type: 'room.leave', callId });
    expect(await alice.nextOf('error')).toMatchObject({ code: 'unknown_call', callId });
  });

  test('the creator leaving while alone ends the call, and ringing invitations end with it', async () => {
    const { callId } = await createCall(alice);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    await bob.nextOf('room.invite', callId);
    alice.send({ v: 1, type: 'room.leave', callId });
    expect(await bob.nextOf('room.invite_ended', callId)).toMatchObject({ reason: 'ended' });
    // Alice is free again.
    await createCall(alice);
  });

  test('a stranger cannot leave, decline or join a call', async () => {
    const carol = await roomsUser(server, 'carol');
    const { callId } = await createCall(alice);
    await joinCall(alice, bob, callId);
    alice.inbox.length = 0;
    carol.send({ v: 1, type: 'room.leave', callId });
    expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
    carol.send({ v: 1, type: 'room.decline', callId });
    expect(await carol.nextOf('error')).toMatchObject({ code: 'not_in_call', callId });
    expect(
      await carol.request({ type: 'room.join', callId, share: carol.memberShare(callId, 2) }),
    ).toMatchObject({ code: 'not_in_call' });
    expect(await roomNotices(alice)).toEqual([]);
  });

  test('a member whose device is removed from its account leaves as removed', async () => {
    const carol = await roomsUser(server, 'carol');
    const bobPhone = await server.linkedDevice(bob);
    await bobPhone.negotiateRooms();
    const { callId } = await createCall(alice);
    await joinCall(alice, carol, callId);
    await alice.request({ type: 'room.invite', callId, to: 'bob' });
    const ring = await bobPhone.nextOf('room.invite', callId);
    await bobPhone.request({
      type: 'room.join',
      callId,
      share: bobPhone.memberShare(callId, ring.slot),
    });
    await alice.nextOf('room.member_joined', callId);
    expect(
      await bob.request({ type: 'devices.remove', deviceId: bobPhone.deviceId }),
    ).toMatchObject({
      type: 'devices',
    });
    expect(await alice.nextOf('room.member_left', callId)).toMatchObject({
      slot: ring.slot,
      reason: 'removed',
    });
  });

  test('a member whose connection drops is reconnecting, and back in its slot when it signs in again', async () => {
    const carol = await roomsUser(server, 'carol');
    const { callId } = await createCall(alice);
    await joinCall(alice, bob, callId);
    await joinCall(alice, carol, callId);
    await carol.close();
    expect(await alice.nextOf('room.member_state', callId)).toMatchObject({
      slot: 2,
      state: 'reconnecting',
    });
    const again = await server.client();
    expect(await again.resume(carol)).toMatchObject({ type: 'session' });
    expect(await bob.nextOf('room.member_state', callId)).toMatchObject({ slot: 2 });
    expect(await bob.nextOf('room.member_state', callId)).toMatchObject({
      slot: 2,
      state: 'joined',
    });
  });
});

describe('the call log', () => {
  test("a group call's participants are stored in their slots, with when each joined and left", async () => {
    const carol = await roomsUser(server, 'carol');
    const { callId } = await createCall(alice);
    await joinCall(alice, bob, callId);
    await joinCall(alice, carol, callId);
    carol.send({ v: 1, type: 'room.leave', callId });
    await alice.nextOf('room.member_left', callId);
    bob.send({ v: 1, type: 'room.leave', callId });
    await alice.nextOf('room.ended', callId);
    await server.stop();
    const participants = storedParticipants(server.dataDir, callId);
    expect(participants.map((p) => [p.slot, p.deviceId])).toEqual([
      [0, alice.deviceId],
      [1, bob.deviceId],
      [2, carol.deviceId],
    ]);
    for (const p of participants) {
      expect(p.leftAt).toEqual(expect.any(Number));
      expect(p.leftAt!).toBeGreaterThanOrEqual(p.joinedAt);
    }
    await server.restart();
  });

  test('a group call open when the server stopped is over at the next start, and its id stays used', async () => {
    const { callId } = await createCall(alice);
    await joinCall(alice, bob, callId);
    await server.stop();
    await server.restart();
    const again = await roomsUser(server, 'carol');
    const refused = await requestCreate(again, callId);
    expect(refused).toMatchObject({ type: 'error', code: 'call_state', callId });
    const participants = storedParticipants(server.dataDir, callId);
    expect(participants.every((p) => p.leftAt !== null)).toBe(true);
  });
});

describe('group calls and 1:1 calls share busy', () => {
  test('a member of a group call with others in it hears a 1:1 call waiting; a lone creator is busy', async () => {
    const carol = await roomsUser(server, 'carol');
    const { callId } = await createCall(alice);
    // Alone, Alice's call still "rings": a 1:1 call to her is busy at once.
    await carol.invite(randomUUID(), 'alice');
    expect(await carol.nextOf('call.busy')).toMatchObject({ type: 'call.busy' });
    await joinCall(alice, bob, callId);
    const waiting = randomUUID();
    expect(await carol.invite(waiting, 'alice')).toMatchObject({ type: 'ok' });
    expect(await alice.nextOf('call.invite', waiting)).toMatchObject({ callId: waiting });
  });
});
