import { LocalMedia } from '../../../renderer/call/LocalMedia';
import { ActiveCall } from '../../../renderer/state/ActiveCall';
import { CallMediaControls, type MediaEngine } from '../../../renderer/state/CallMediaControls';
import { CallMembers, type PeerMediaState } from '../../../renderer/state/CallMembers';
import type { ParticipantTile } from '../../../renderer/state/groupCallView';
import { groupCallViewOf } from '../../../renderer/state/groupCallViewOf';
import type { GrowingCall } from '../../../renderer/state/growingCall';
import { grownCallState, type RoomCallState } from '../../../renderer/state/roomCallState';
import { FakeTrack, fakeStream } from '../media/fakeMediaDevices';
import { growingCallWithBob } from './growingCallWithBob';

/** A 1:1 call's engine as our member drives it (the browser path is in test/e2e). */
function engine(): MediaEngine & { microphone: boolean[] } {
  const microphone: boolean[] = [];
  return {
    microphone,
    localStream: fakeStream([new FakeTrack('audio', 'mic-1'), new FakeTrack('video', 'cam-1')]),
    hasVideo: true,
    setMicrophoneEnabled: (on) => void microphone.push(on),
    setCameraEnabled: () => {},
  };
}

function callUnderWay() {
  const told: PeerMediaState[] = [];
  const members = new CallMembers(new CallMediaControls());
  members.attach(engine(), (state) => told.push(state));
  return { members, told };
}

test('the peer hears each change of ours once, again when it asks, and nothing once the call is over; our member starts the next call reset', () => {
  const { members, told } = callUnderWay();
  members.own.toggleMute();
  expect(told).toEqual([{ audio: false, video: true }]);
  // A rejoined connection: a second engine keeps the one channel, and the peer is told again.
  members.attach(engine(), (state) => told.push(state));
  members.tellPeerAgain();
  expect(told).toEqual([
    { audio: false, video: true },
    { audio: false, video: true },
  ]);

  const next = members.next(false, () => new CallMediaControls());
  expect(next.own).toBe(members.own);
  expect(next.own.muted.value).toBe(false);
  expect(next.own.inCall).toBe(false);
  expect(next.peer).not.toBe(members.peer);
  // The next call's peer hears the next call's changes; this call's peer hears none of them.
  const toldNext: PeerMediaState[] = [];
  next.attach(engine(), (state) => toldNext.push(state));
  next.own.toggleMute();
  expect(toldNext).toEqual([{ audio: false, video: true }]);
  expect(told).toHaveLength(2);
});

test('a call that grows hands our member on whole: it keeps its switches and a later engine of the 1:1 call no longer drives it; the next call has a member of its own', () => {
  const { members, told } = callUnderWay();
  members.own.toggleMute();
  // The group call holds the call: our member is its own from now on.
  const call = new ActiveCall(members, LocalMedia.empty({ trackEnded() {}, changed() {} }));
  call.hold('pair');
  call.hold('room');
  const own = call.members.own;
  expect(own).toBe(members.own);

  const oneToOne = engine();
  call.attachPair(oneToOne, (state) => told.push(state));
  own.toggleMute();
  expect(oneToOne.microphone).toEqual([]);

  call.letGo('pair');
  const next = members.next(call.heldBy('room'), () => new CallMediaControls());
  expect(next.own).not.toBe(own);
  // The next call's own member is the pair layer's: an engine of its call drives it.
  const nextCall = new ActiveCall(next, LocalMedia.empty({ trackEnded() {}, changed() {} }));
  nextCall.hold('pair');
  const nextEngine = engine();
  nextCall.attachPair(nextEngine, () => {});
  next.own.toggleMute();
  expect(nextEngine.microphone).toEqual([false]);
  // The group call drives it now: over, the 1:1 call neither reset it nor tells the peer more.
  expect(own.muted.value).toBe(false);
  expect(own.inCall).toBe(true);
  own.toggleMute();
  expect(own.muted.value).toBe(true);
  expect(told).toEqual([
    { audio: false, video: true },
    { audio: true, video: true },
  ]);
});

/** Our 1:1 call with Bob, as the group call it grows into attaches to it. */
function growing(members: CallMembers): GrowingCall {
  const notHere = () => {
    throw new Error('not in this test');
  };
  const activeCall = new ActiveCall(members, LocalMedia.empty({ trackEnded() {}, changed() {} }));
  return growingCallWithBob('call_1', activeCall, { detach: notHere, hangUp: notHere });
}

/** The group call's tiles, by slot (our own media as our member says it; no tracks anywhere). */
function tiles(room: RoomCallState): Map<number, ParticipantTile> {
  const view = groupCallViewOf(room, {
    layout: 'grid',
    ownMedia: room.activeCall.members.own.state,
    ownTrack: () => null,
    remoteTrack: () => null,
    mediaDown: false,
    now: 0,
    streamOf: () => {
      throw new Error('no tracks here');
    },
    linkUrls: (token) => ({ url: `https://parley.test/call/${token}`, deepLink: token }),
    reconnecting: null,
  });
  return new Map(view.tiles.map((tile) => [tile.slot, tile]));
}

test('a call that grows keeps its members: the peer muted before shows muted in its tile, our mute stays, and a member who left is gone', () => {
  const { members } = callUnderWay();
  members.own.toggleMute();
  members.peer.said({ audio: false, video: true });

  const room = grownCallState(growing(members), {
    user: { username: 'alice', displayName: 'Alice' },
    deviceId: 'd_alice',
  });
  // The same objects, not copies: what the 1:1 call screen showed is what the group call shows.
  expect(room.activeCall.members).toBe(members);
  expect(room.activeCall.members.remote.get(1)).toBe(members.peer);
  expect(tiles(room).get(1)).toMatchObject({ username: 'bob', microphoneOn: false });
  expect(tiles(room).get(0)).toMatchObject({ self: true, microphoneOn: false });
  expect(room.activeCall.members.own.muted.value).toBe(true);
  // Bob unmutes over the 1:1 connection: his tile in the group call follows.
  members.peer.said({ audio: true, video: true });
  expect(tiles(room).get(1)).toMatchObject({ microphoneOn: true });

  // Carol joins through the SFU, then leaves: nothing of hers stays. Bob leaves too.
  const carol = room.activeCall.members.remote.joined(2);
  carol.said({ audio: true, video: false });
  room.activeCall.members.remote.left(2);
  expect(room.activeCall.members.remote.get(2)).toBeUndefined();
  room.activeCall.members.remote.left(1);
  expect(room.activeCall.members.remote.get(1)).toBeUndefined();
  expect(members.peer.media.value).toBeNull();
});
