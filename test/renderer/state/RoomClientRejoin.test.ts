import { randomUUID } from 'node:crypto';
import type {
  ClientMessageOf,
  LiveCall,
  MemberKeyShare,
  RoomMember,
  ServerMessageOf,
} from '../../../protocol';
import { SignalingError } from '../../../renderer/signaling/RequestTracker';
import { GroupCallMediaMemory } from '../../../renderer/state/GroupCallMediaMemory';
import { RoomClient } from '../../../renderer/state/RoomClient';
import { OtherMember, fakeTrack, roomState } from './fakeRoomServer';
import { roomClientPage, setCamera } from './roomClientPage';
import { settle } from './settle';

// docs/protocol.md "Leaving and the end": a device whose page was reloaded (or whose app
// restarted) while in a group call finds the call in its sign-in's `calls` and rejoins it by
// itself, in a new slot, with a new share. Real key agreement and signing: a busy machine is slow.
jest.setTimeout(30_000);

// The call screen's controls hold a MediaStream, which Node lacks: an empty one stands in.
beforeAll(() => {
  Object.assign(globalThis, { MediaStream: class {} });
});
afterAll(() => {
  Reflect.deleteProperty(globalThis, 'MediaStream');
});

const clients: RoomClient[] = [];
afterEach(() => {
  for (const client of clients.splice(0)) client.onSignedOut();
});

/** The tab's session storage, which a reload keeps. */
class TabStorage {
  readonly items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
  removeItem = (key: string) => void this.items.delete(key);
}

/**
 * A page just loaded: no call, and `rooms` not negotiated yet on its new connection; `deps`
 * replaces any of its parts.
 */
async function reloadedPage(
  storage = new TabStorage(),
  deps: Parameters<typeof roomClientPage>[2] = {},
) {
  const page = await roomClientPage(
    'carol',
    { rooms: false },
    { mediaMemory: new GroupCallMediaMemory(storage), ...deps },
  );
  clients.push(page.client);
  return { ...page, storage };
}

/** The sign-in's entry of a call this device is a member of, in `slot`. */
function listed(callId: string, slot: number, more: Partial<LiveCall> = {}): LiveCall {
  return {
    callId,
    peer: { username: 'alice', displayName: 'Alice' },
    media: 'video',
    role: 'callee',
    state: 'accepted',
    answeredAt: Date.now() - 60_000,
    group: { slot, path: 'sfu' },
    ...more,
  };
}

/**
 * Alice (slot 0) and Bob (slot 1) are in the call; the server gives us slot 3 on rejoin (and, when
 * we created the call, says so with its link).
 */
async function callOfThree(
  s: Awaited<ReturnType<typeof reloadedPage>>,
  callId: string,
  creatorPart: Pick<ServerMessageOf<'room'>, 'creator' | 'link'> = {},
) {
  const alice = await OtherMember.join('alice', 0, callId);
  const bob = await OtherMember.join('bob', 1, callId);
  const members: RoomMember[] = [await alice.entry(), await bob.entry()];
  s.server.answer('room.rejoin', (m) => {
    const rejoin = m as ClientMessageOf<'room.rejoin'>;
    // As the server has us: in the new slot, with no share until ours comes.
    const us = { ...s.self.entry({ slot: 3 } as MemberKeyShare), share: null };
    return roomState(rejoin.id, { callId, slot: 3, members: [...members, us], ...creatorPart });
  });
  return { alice, bob };
}

describe('RoomClient after a reload', () => {
  test('a group call in the sign-in list is rejoined by itself once rooms is on: a new slot, our new share first, then our key to each verified member, and our media through the SFU', async () => {
    const s = await reloadedPage();
    const callId = randomUUID();
    const { alice, bob } = await callOfThree(s, callId);

    s.client.onSessionCalls([listed(callId, 2)]);
    // Features belong to the connection: nothing group-call is sent before they are negotiated.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.server.sent).toEqual([]);
    expect(s.client.view.value).toBeNull();

    s.rooms.value = true;
    await settle(() => s.server.of('room.keys').length === 1);
    expect(s.server.of('room.rejoin')).toEqual([expect.objectContaining({ callId })]);
    // The share names the new slot and goes before any key, so the others can verify us first.
    const order = s.server.sent.map((m) => m.type).filter((t) => t !== 'room.router');
    expect(order.indexOf('room.share')).toBeLessThan(order.indexOf('room.keys'));
    const share = s.server.of('room.share')[0]!.share;
    expect(share.slot).toBe(3);

    // The call screen is back, with us in slot 3 and the two others.
    const view = s.client.view.value!;
    expect(view.tiles.map((t) => [t.slot, t.username, t.self])).toEqual([
      [3, 'carol', true],
      [0, 'alice', false],
      [1, 'bob', false],
    ]);
    expect(s.client.error.value).toBeNull();

    // A fresh random key (generation 0, epoch 0) for each: they verify our new share and open it.
    const batch = s.server.of('room.keys')[0]!.keys;
    expect(batch.map((k) => [k.from, k.to, k.generation, k.epoch])).toEqual([
      [3, 0, 0, 0],
      [3, 1, 0, 0],
    ]);
    const ourEntry = s.self.entry(share);
    await alice.verify(ourEntry);
    await bob.verify(ourEntry);
    const [forAlice, forBob] = await Promise.all([
      alice.unwrap(3, batch[0]!),
      bob.unwrap(3, batch[1]!),
    ]);
    expect(Buffer.from(forAlice.baseKey)).toEqual(Buffer.from(forBob.baseKey));

    // Camera and microphone as a join of the call's media opens them, through the SFU.
    await settle(() => s.paths.length === 1);
    expect(s.openedFor).toEqual(['video']);
    // Only once: the next sign-in (a reconnect) lists the call we are in now.
    s.client.onSessionCalls([listed(callId, 3)]);
    s.rooms.value = false;
    s.rooms.value = true;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.server.of('room.rejoin')).toHaveLength(1);
  });

  test('nothing is rejoined for a call that only rings, is still peer to peer, is 1:1, or that we left here', async () => {
    const s = await reloadedPage();
    s.rooms.value = true;
    const left = randomUUID();
    s.client.onSessionCalls([
      listed(randomUUID(), 0, { state: 'ringing', role: 'caller' }),
      listed(randomUUID(), 1, { group: { slot: 1, path: 'p2p' } }),
      { ...listed(randomUUID(), 1), group: undefined },
    ]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.server.sent).toEqual([]);

    // A call we left here, whose leave the server had not heard of when we signed in again.
    await callOfThree(s, left);
    s.client.onSessionCalls([listed(left, 2)]);
    await settle(() => s.client.view.value !== null);
    s.client.leave();
    const sent = s.server.sent.length;
    s.client.onSessionCalls([listed(left, 3)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.server.sent.slice(sent).map((m) => m.type)).toEqual([]);
    expect(s.client.view.value).toBeNull();
  });

  test('a call that ended meanwhile shows nothing; one that refuses us is left, and shows nothing either', async () => {
    const s = await reloadedPage();
    s.rooms.value = true;
    const gone = randomUUID();
    s.server.answer(
      'room.rejoin',
      () => new SignalingError('unknown_call', 'There is no such call any more'),
    );
    s.client.onSessionCalls([listed(gone, 2)]);
    await settle(() => s.server.of('room.rejoin').length === 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(s.client.view.value).toBeNull();
    expect(s.client.error.value).toBeNull();
    expect(s.server.of('room.leave')).toEqual([]);

    const refused = randomUUID();
    s.server.answer('room.rejoin', () => new SignalingError('call_state', 'Not now'));
    s.client.onSessionCalls([listed(refused, 0)]);
    await settle(() => s.server.of('room.leave').length === 1);
    expect(s.server.of('room.leave')[0]).toMatchObject({ callId: refused });
    expect(s.client.view.value).toBeNull();
    expect(s.client.error.value).toBeNull();
  });

  test('muted before the reload, muted after it: the rejoin opens our microphone and camera as they were, and tells the others so', async () => {
    const storage = new TabStorage();
    const callId = randomUUID();
    // Before the reload, in the call: our camera on, our microphone muted.
    new GroupCallMediaMemory(storage).remember(callId, { audio: false, video: true });

    const s = await reloadedPage(storage);
    const controls = s.client.member;
    await callOfThree(s, callId);
    s.rooms.value = true;
    s.client.onSessionCalls([listed(callId, 2)]);
    await settle(() => s.server.of('room.media').length === 1);
    expect(s.server.of('room.media')[0]).toMatchObject({ audio: false, video: true });
    const own = () => s.client.view.value!.tiles.find((t) => t.self)!;
    expect(own()).toMatchObject({ microphoneOn: false, cameraOn: true });
    // The call screen's buttons say so too.
    expect(controls.muted.value).toBe(true);
    expect(controls.cameraOff.value).toBe(false);

    // What we change is kept for the next reload; leaving forgets it.
    setCamera(s.client.member, false);
    expect(new GroupCallMediaMemory(storage).recall(callId)).toEqual({
      audio: false,
      video: false,
    });
    s.client.leave();
    expect(storage.items.size).toBe(0);
  });

  test('a camera turned on mid-call in a voice call comes back on after the reload; one turned off again stays off, not even opened', async () => {
    for (const video of [true, false]) {
      const storage = new TabStorage();
      const callId = randomUUID();
      // Before the reload, in a voice call: our camera turned on (and, the second time, off again).
      new GroupCallMediaMemory(storage).remember(callId, { audio: true, video });

      // The microphone, and the camera only for video, as getUserMedia opens them.
      const opened: MediaStreamTrack[] = [];
      const s = await reloadedPage(storage, {
        localTracks: async (media) => {
          const tracks = {
            microphone: fakeTrack('audio'),
            camera: media === 'video' ? fakeTrack('video') : null,
          };
          opened.push(...[tracks.microphone, tracks.camera].filter((track) => track !== null));
          return tracks;
        },
      });
      await callOfThree(s, callId);
      s.rooms.value = true;
      s.client.onSessionCalls([listed(callId, 2, { media: 'audio' })]);
      await settle(() => s.server.of('room.media').length === 1);
      expect(opened.map((track) => track.kind)).toEqual(video ? ['audio', 'video'] : ['audio']);
      expect(s.path().produced).toEqual(video ? ['microphone', 'camera'] : ['microphone']);
      expect(s.server.of('room.media')[0]).toMatchObject({ audio: true, video });
      const own = s.client.view.value!.tiles.find((t) => t.self)!;
      expect(own).toMatchObject({ cameraOn: video });
      // The camera button: "Turn camera off" when it came back on, "Switch to video" when off.
      expect(s.client.member.canUseCamera.value).toBe(video);
      expect(s.client.member.cameraOff.value).toBe(!video);
    }
  });

  test("the call's creator back from a rejoin still holds its link: shown, and it may revoke it; anyone else may not make one", async () => {
    const s = await reloadedPage();
    const callId = randomUUID();
    const token = Buffer.alloc(16, 7).toString('base64url');
    await callOfThree(s, callId, { creator: true, link: { token, approval: true } });
    s.rooms.value = true;
    s.client.onSessionCalls([listed(callId, 2)]);
    await settle(() => s.client.view.value !== null);
    const view = s.client.view.value!;
    expect(view.canCreateLink).toBe(true);
    expect(view.link).toMatchObject({ approval: true, url: expect.stringContaining(token) });

    const other = await reloadedPage();
    const otherCall = randomUUID();
    await callOfThree(other, otherCall);
    other.rooms.value = true;
    other.client.onSessionCalls([listed(otherCall, 2)]);
    await settle(() => other.client.view.value !== null);
    expect(other.client.view.value).toMatchObject({ canCreateLink: false, link: null });
  });

  test('without anything kept for the call (an app restart, another call) the rejoin opens both as a join does', async () => {
    const storage = new TabStorage();
    const callId = randomUUID();
    new GroupCallMediaMemory(storage).remember(randomUUID(), { audio: false, video: false });
    const s = await reloadedPage(storage);
    await callOfThree(s, callId);
    s.rooms.value = true;
    s.client.onSessionCalls([listed(callId, 2)]);
    await settle(() => s.server.of('room.media').length === 1);
    expect(s.server.of('room.media')[0]).toMatchObject({ audio: true, video: true });
  });
});
