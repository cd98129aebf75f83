import { CallMediaControls, type MediaEngine } from '../../../renderer/state/CallMediaControls';
import { CallMembers, type PeerMediaState } from '../../../renderer/state/CallMembers';
import { FakeTrack, fakeStream } from '../media/fakeMediaDevices';

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

  const next = members.next(() => new CallMediaControls());
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
  const own = members.handOnOwn();
  expect(own).toBe(members.own);
  expect(members.ownIsHandedOn).toBe(true);

  const oneToOne = engine();
  members.attach(oneToOne, (state) => told.push(state));
  own.toggleMute();
  expect(oneToOne.microphone).toEqual([]);

  const next = members.next(() => new CallMediaControls());
  expect(next.own).not.toBe(own);
  expect(next.ownIsHandedOn).toBe(false);
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
