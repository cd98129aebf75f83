import type { SenderFrameCounts } from '../../../renderer/e2ee/worker/messages';
import type { GrowingCall } from '../../../renderer/state/growingCall';
import { GrownCallBridge } from '../../../renderer/state/GrownCallBridge';
import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';

/**
 * The 1:1 call under the bridge: records what it was asked; the peer (slot 1, its member carried
 * by the 1:1 connection) may send video.
 */
function oneToOne(peerSendsVideo: boolean) {
  const asked: string[] = [];
  const member = new RemoteMember('p2p');
  const track = {} as MediaStreamTrack;
  member.showStream({
    getAudioTracks: () => [track],
    getVideoTracks: () => (peerSendsVideo ? [track] : []),
  } as unknown as MediaStream);
  const call = {
    peer: { slot: 1 },
    activeCall: { members: { peer: member } },
    moving: () => void asked.push('moving'),
    handOver: () => void asked.push('handOver'),
  } as unknown as GrowingCall;
  return { call, asked, member };
}

const frames = (audio: number, video: number): SenderFrameCounts => ({
  slot: 1,
  audio: { decrypted: audio, decryptFailed: 0 },
  video: { decrypted: video, decryptFailed: 0 },
});

/** The SFU worker reports the peer's `counts` so far, and the bridge hears of it. */
const reported = (bridge: GrownCallBridge, member: RemoteMember, counts: SenderFrameCounts) => {
  member.framesCounted('sfu', counts, 0);
  bridge.framesThroughSfu();
};

afterEach(() => jest.useRealTimers());

test("the peer's tile plays the 1:1 connection until its audio and video decrypt through the SFU in two reports", () => {
  const { call, member } = oneToOne(true);
  const told: string[] = [];
  const bridge = new GrownCallBridge(call, () => {});
  bridge.moving(() => told.push('carried'));
  expect(member.path.value).toBe('p2p');

  reported(bridge, member, frames(10, 0)); // audio only: its video is not carried yet
  reported(bridge, member, frames(20, 0));
  expect(member.path.value).toBe('p2p');
  reported(bridge, member, frames(30, 5)); // both flow: the first such report
  expect(member.path.value).toBe('p2p');
  reported(bridge, member, frames(40, 9)); // more of both: the SFU's tracks play now
  expect(member.path.value).toBe('sfu');
  expect(told).toEqual(['carried']);
  reported(bridge, member, frames(50, 12));
  expect(told).toEqual(['carried']);
  bridge.forget();
});

test('a peer that sends no video is carried on its audio alone', () => {
  const { call, member } = oneToOne(false);
  const bridge = new GrownCallBridge(call, () => {});
  bridge.moving(() => {});
  reported(bridge, member, frames(10, 0));
  reported(bridge, member, frames(20, 0));
  expect(member.path.value).toBe('sfu');
  bridge.forget();
});

test('the 1:1 connection closes once both directions are carried, once, and the group call hears it', () => {
  const { call, asked, member } = oneToOne(false);
  let closed = 0;
  const bridge = new GrownCallBridge(call, () => (closed += 1));
  bridge.moving(() => {});
  bridge.peerReceivesUs(2); // not the peer: nothing
  reported(bridge, member, frames(10, 0));
  reported(bridge, member, frames(20, 0));
  expect(asked).toEqual(['moving']);
  bridge.peerReceivesUs(1);
  expect(asked).toEqual(['moving', 'handOver']);
  expect(closed).toBe(1);
  bridge.close();
  expect(closed).toBe(1);
});

test('the safety bound closes it when the peer never says; a 1:1 call that ended by itself is never handed over', () => {
  jest.useFakeTimers();
  const first = oneToOne(true);
  const bridge = new GrownCallBridge(first.call, () => {});
  bridge.moving(() => {}, 1_000);
  jest.advanceTimersByTime(1_000);
  expect(first.asked).toEqual(['moving', 'handOver']);

  const second = oneToOne(true);
  const ended = new GrownCallBridge(second.call, () => {});
  ended.moving(() => {}, 1_000);
  ended.forget();
  jest.advanceTimersByTime(5_000);
  ended.close();
  expect(second.asked).toEqual(['moving']);
  expect(second.member.path.value).toBe('sfu');
});
