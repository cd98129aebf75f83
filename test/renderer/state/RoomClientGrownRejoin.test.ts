import { randomUUID } from 'node:crypto';
import { isolateName, type ClientMessageOf, type LiveCall } from '../../../protocol';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { RoomClient } from '../../../renderer/state/RoomClient';
import { OtherMember, roomState, title } from './fakeRoomServer';
import { FakeOneToOneCall, roomClientPage } from './roomClientPage';
import { settle } from './settle';

// docs/protocol.md "Rejoining a grown call still on p2p": Alice called Bob and invited Carol, who
// only rings; a reload on either side keeps the slot. The reloaded side takes the group call back
// once its 1:1 connection is back (room.rejoin, then a new share before any key); the other side
// forgets the lost share and verifies the new one as a first one. Real key agreement and signing.
jest.setTimeout(30_000);

beforeAll(() => {
  Object.assign(globalThis, { MediaStream: class {} });
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'MediaStream');
});

const pause = (ms = 20) => new Promise((resolve) => setTimeout(resolve, ms));
const user = (username: string) => ({ username, displayName: title(username) });

const clients: RoomClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.onSignedOut();
});

async function alicePage(call: FakeOneToOneCall, roomsOn = true) {
  const page = await roomClientPage(
    'alice',
    { rooms: roomsOn },
    {
      oneToOneCall: call.growable,
      self: () => ({ username: 'alice', identityKey: self.device.identityKey }),
    },
  );
  const { self } = page;
  clients.push(page.client);
  return page;
}

const carolRinging = (callId: string) => ({
  type: 'room.invitation',
  callId,
  invitation: { user: user('carol'), state: 'ringing', invitedBy: 0 },
});

/** The server answers our room.rejoin with the room state in slot 0, Carol still ringing. */
function answerRejoinInSlot0(s: Awaited<ReturnType<typeof alicePage>>, call: FakeOneToOneCall) {
  s.server.answer('room.rejoin', (m) =>
    roomState((m as ClientMessageOf<'room.rejoin'>).id, {
      callId: call.callId,
      slot: 0,
      path: 'p2p',
      // The server dropped our old share at our call.rejoin: ours is null, Bob's as he sent it.
      members: [{ ...s.self.entry({ slot: 0 } as never), share: null }, call.bobEntry],
      invitations: [{ user: user('carol'), state: 'ringing', invitedBy: 0 }],
    }),
  );
}

/** The sign-in's entry of our grown call, still on p2p, in slot 0. */
const listedGrown = (callId: string): LiveCall => ({
  callId,
  peer: user('bob'),
  media: 'video',
  role: 'caller',
  state: 'accepted',
  answeredAt: Date.now() - 60_000,
  group: { slot: 0, path: 'p2p' },
});

/**
 * Alice's page reloaded during her grown call still on p2p: listed by the sign-in, waiting for
 * its 1:1 connection; `oneToOneBack` brings it back and waits for the room.rejoin it sends, which
 * the server refuses with `rejoinRefusal`.
 */
async function reloadedGrownCall(rejoinRefusal: SignalingError) {
  const callId = randomUUID();
  const bob = await OtherMember.join('bob', 1, callId);
  const call = new FakeOneToOneCall(callId, bob, await bob.entry());
  call.live = false;
  const s = await alicePage(call);
  s.server.answer('room.rejoin', () => rejoinRefusal);
  s.client.onSessionCalls([listedGrown(callId)]);
  const oneToOneBack = async () => {
    call.live = true;
    s.client.oneToOneBack(callId);
    await settle(() => s.server.of('room.rejoin').length === 1);
    await pause();
  };
  return { ...s, call, oneToOneBack };
}

describe('a grown call still on p2p, after a reload', () => {
  test('the reloaded page takes the group call back once its 1:1 connection is: room.rejoin in its own slot, its new share before its key, Bob over the 1:1 connection and Carol still ringing', async () => {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    const call = new FakeOneToOneCall(callId, bob, await bob.entry());
    call.live = false;
    const s = await alicePage(call);
    answerRejoinInSlot0(s, call);

    s.client.onSessionCalls([listedGrown(callId)]);
    // Nothing before the 1:1 connection is back: our room.rejoin must follow our call.rejoin.
    await pause();
    expect(s.server.sent).toEqual([]);
    expect(s.client.view.value).toBeNull();

    call.live = true;
    s.client.oneToOneBack(callId);
    await settle(() => s.server.of('room.keys').length === 1);
    const order = s.server.sent.map((m) => m.type);
    expect(order.slice(0, 2)).toEqual(['room.rejoin', 'room.share']);
    expect(order.indexOf('room.share')).toBeLessThan(order.indexOf('room.keys'));
    const share = s.server.of('room.share')[0]!.share;
    expect(share.slot).toBe(0);

    // Bob verifies our new share and opens the key we sent him (Bob's share verified here first).
    await bob.verify(s.self.entry(share));
    const [forBob] = s.server.keysTo(1);
    expect(forBob).toMatchObject({ from: 0, to: 1, generation: 0, epoch: 0 });
    await expect(bob.unwrap(0, forBob!)).resolves.toMatchObject({ generation: 0 });

    // The group call holds the rejoined 1:1 call itself, still carried by its 1:1 connection.
    expect(call.activeCall.heldBy('room')).toBe(true);
    expect(call.activeCall.paths.carries('p2p')).toBe(true);
    expect(call.activeCall.paths.bridged?.peer.slot).toBe(1);

    // The group call screen is back: Bob over the 1:1 connection, Carol still ringing, no SFU.
    const view = s.client.view.value!;
    expect(view.path).toBe('p2p');
    expect(view.tiles.map((t) => [t.slot, t.username, t.self])).toEqual([
      [0, 'alice', true],
      [1, 'bob', false],
    ]);
    expect(view.tiles[1]!.camera).toEqual({ id: `stream:${call.remote.camera.id}` });
    expect(view.invited).toEqual([{ username: 'carol', displayName: 'Carol', state: 'ringing' }]);
    expect(s.paths).toEqual([]);

    // Carol joins: the call moves to the SFU, the 1:1 connection bridging meanwhile.
    const carol = await OtherMember.join('carol', 2, callId);
    await carol.verify(s.self.entry(share));
    s.server.push({ type: 'room.member_joined', callId, member: await carol.entry() });
    s.server.push({ type: 'room.path', callId, path: 'sfu' });
    await settle(() => s.paths.length === 1);
    expect(call.asked).toEqual(['moving']);
    expect(s.client.ended.value).toBeNull();
    expect(s.server.keysTo(2)).toHaveLength(1);
  });

  test('with rooms negotiated only after the 1:1 connection is back, the group call is taken back then; a notice of it meanwhile grows no call of its own', async () => {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    const call = new FakeOneToOneCall(callId, bob, await bob.entry());
    const s = await alicePage(call, false);
    answerRejoinInSlot0(s, call);
    s.client.onSessionCalls([listedGrown(callId)]);
    s.client.oneToOneBack(callId);
    // The invitation's news, resent by our notice stream: the rejoin's room state will say it.
    s.server.push(carolRinging(callId));
    await pause();
    expect(s.server.sent).toEqual([]);
    expect(s.client.view.value).toBeNull();

    s.rooms.value = true;
    await settle(() => s.server.of('room.keys').length === 1);
    expect(s.server.sent.map((m) => m.type)).toEqual(['room.rejoin', 'room.share', 'room.keys']);
    expect(s.client.view.value!.invited).toEqual([
      { username: 'carol', displayName: 'Carol', state: 'ringing' },
    ]);
  });

  test('should the third have joined first, the rejoin lands in a new slot on the SFU and the 1:1 connection is handed over', async () => {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    const carol = await OtherMember.join('carol', 2, callId);
    const call = new FakeOneToOneCall(callId, bob, await bob.entry());
    const s = await alicePage(call);
    const carolEntry = await carol.entry();
    s.server.answer('room.rejoin', (m) =>
      roomState((m as ClientMessageOf<'room.rejoin'>).id, {
        callId,
        slot: 3,
        members: [
          call.bobEntry,
          carolEntry,
          { ...s.self.entry({ slot: 3 } as never), share: null },
        ],
        invitations: [{ user: user('carol'), state: 'joined', invitedBy: 0 }],
      }),
    );
    s.client.onSessionCalls([listedGrown(callId)]);
    await settle(() => s.paths.length === 1);
    expect(call.asked).toEqual(['handOver']);
    // The same call goes on, held by the group call alone and carried by the SFU (not p2p).
    expect(call.activeCall.heldBy('room')).toBe(true);
    expect(call.activeCall.heldBy('pair')).toBe(false);
    expect(call.activeCall.paths.carries('sfu')).toBe(true);
    expect(call.media.track('microphone')!.readyState).toBe('live');
    expect(s.server.of('room.share')[0]!.share.slot).toBe(3);
    expect(s.client.view.value!.path).toBe('sfu');
  });

  test('refused because the call ended meanwhile: no group call screen, no error and nothing more sent; the 1:1 call is left to end by itself, and no reconnect asks again', async () => {
    const s = await reloadedGrownCall(
      new SignalingError('unknown_call', 'There is no such call any more'),
    );
    await s.oneToOneBack();

    // The 1:1 call is CallController's to end (the server's call.ended): nothing of it is asked here.
    expect(s.server.sent.map((m) => m.type)).toEqual(['room.rejoin']);
    expect(s.client.view.value).toBeNull();
    expect(s.call.asked).toEqual([]);
    // Nothing went wrong that the user could act on: no error waits for them on the home screen.
    expect(s.client.error.value).toBeNull();
    expect(s.client.groupRejoinFailure.value).toBeNull();

    s.call.live = false;
    s.client.oneToOneEnded();
    s.rooms.value = false;
    s.rooms.value = true;
    s.client.onSessionCalls([]);
    await pause();
    expect(s.server.sent.map((m) => m.type)).toEqual(['room.rejoin']);
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toBeNull();
  });

  test('refused as not_in_call: the 1:1 call goes on untouched on its own screen, which says plainly that the group call could not be rejoined and that the call with Bob goes on (Add people shows no error); neither a reconnect nor the 1:1 connection coming back again asks again, and the notice goes with the 1:1 call', async () => {
    const s = await reloadedGrownCall(
      new SignalingError('not_in_call', 'You are not part of this call.'),
    );
    await s.oneToOneBack();

    // No group call screen: the 1:1 call screen stays, its connection neither hung up nor handed over.
    expect(s.client.view.value).toBeNull();
    expect(s.client.ended.value).toBeNull();
    expect(s.call.asked).toEqual([]);
    expect(s.call.growable()?.callId).toBe(s.call.callId);
    // No share, key or leave of ours: nothing of ours is left in a call that refused us.
    expect(s.server.sent.map((m) => m.type)).toEqual(['room.rejoin']);
    expect(s.paths).toEqual([]);
    // What the 1:1 call screen says, for this call; its Add people panel shows nothing.
    const notice = {
      callId: s.call.callId,
      text: `You are no longer in the group call, so it could not be rejoined. Your call with ${isolateName('Bob')} goes on.`,
    };
    expect(s.client.groupRejoinFailure.value).toEqual(notice);
    expect(s.client.error.value).toBeNull();

    s.rooms.value = false;
    s.rooms.value = true;
    s.client.oneToOneBack(s.call.callId);
    await pause();
    expect(s.server.sent.map((m) => m.type)).toEqual(['room.rejoin']);
    expect(s.call.asked).toEqual([]);
    expect(s.client.groupRejoinFailure.value).toEqual(notice);

    // The 1:1 call ends: its screen, and the notice on it, go.
    s.call.live = false;
    s.client.oneToOneEnded();
    expect(s.client.groupRejoinFailure.value).toBeNull();
  });

  test('refused for want of the server: the 1:1 call screen says the group call could not be rejoined because Parley could not reach the server, until the user dismisses it', async () => {
    const s = await reloadedGrownCall(new SignalingError('disconnected', 'The connection closed'));
    await s.oneToOneBack();

    expect(s.client.view.value).toBeNull();
    expect(s.call.asked).toEqual([]);
    expect(s.client.groupRejoinFailure.value).toEqual({
      callId: s.call.callId,
      text: `The group call could not be rejoined: Parley couldn't reach the server. Your call with ${isolateName('Bob')} goes on.`,
    });
    expect(s.client.error.value).toBeNull();

    s.client.dismissGroupRejoinFailure();
    expect(s.client.groupRejoinFailure.value).toBeNull();
    expect(s.call.asked).toEqual([]);
  });

  test('refused for want of the server, then taken back on the next connection: the group call screen is back and the notice that it could not be rejoined goes', async () => {
    const s = await reloadedGrownCall(new SignalingError('disconnected', 'The connection closed'));
    await s.oneToOneBack();
    expect(s.client.groupRejoinFailure.value).not.toBeNull();

    // A new connection: the sign-in lists the grown call again and the server answers this time.
    answerRejoinInSlot0(s, s.call);
    s.rooms.value = false;
    s.rooms.value = true;
    s.client.onSessionCalls([listedGrown(s.call.callId)]);
    await settle(() => s.client.view.value !== null);

    expect(s.server.of('room.rejoin')).toHaveLength(2);
    expect(s.client.view.value!.path).toBe('p2p');
    expect(s.client.groupRejoinFailure.value).toBeNull();
  });

  test("the other party forgets the reloaded party's lost share: the new one is verified as a first one and gets our key; without the rejoin it would be refused", async () => {
    const callId = randomUUID();
    const bob = await OtherMember.join('bob', 1, callId);
    const call = new FakeOneToOneCall(callId, bob, await bob.entry());
    const s = await alicePage(call);
    await s.client.invite(['carol']);
    s.server.push(carolRinging(callId));
    await settle(() => s.server.of('room.share').length === 1);
    s.server.push({ type: 'room.share', callId, slot: 1, share: call.bobEntry.share });
    await settle(() => s.server.keysTo(1).length === 1);
    const tile = () => s.client.view.value!.tiles.find((t) => t.slot === 1)!;
    await settle(() => tile().safetyNumber !== null);

    // Bob reloads: a new ephemeral key in the same slot. Before his call.rejoin it is refused.
    const bobAgain = await bob.reloaded();
    const newShare = (await bobAgain.entry()).share;
    s.server.push({ type: 'room.share', callId, slot: 1, share: newShare });
    await s.client.keysSettled();
    expect(s.server.keysTo(1)).toHaveLength(1);

    // His call.rejoin verified (CallController): his old share is forgotten, the new one taken.
    s.client.peerRejoined(callId);
    expect(tile().safetyNumber).toBeNull();
    const fresher = (await bobAgain.entry()).share;
    s.server.push({ type: 'room.share', callId, slot: 1, share: fresher });
    await settle(() => s.server.keysTo(1).length === 2);
    const ourShare = s.self.entry(s.server.of('room.share')[0]!.share);
    await bobAgain.verify(ourShare);
    await expect(bobAgain.unwrap(0, s.server.keysTo(1)[1]!)).resolves.toMatchObject({
      generation: 0,
    });
    // The old key cannot open it: what we sent went to the new key only.
    await expect(bob.unwrap(0, s.server.keysTo(1)[1]!)).rejects.toThrow();
    await settle(() => tile().safetyNumber !== null);

    // News of another call's rejoin changes nothing here.
    s.client.peerRejoined(randomUUID());
    await s.client.keysSettled();
    expect(tile().safetyNumber).not.toBeNull();
  });
});
