import type { SenderFrameCounts } from '../../../renderer/e2ee/worker/messages';
import { type BridgingConnection, CallPaths } from '../../../renderer/state/CallPaths';
import { RemoteMember } from '../../../renderer/state/remoteMembers/RemoteMember';

/**
 * A 1:1 call's paths while it grows: its connection (which records what it was asked) bridges;
 * the peer (slot 1, its member carried by the 1:1 connection) may send video. `closed` hears the
 * connection close.
 */
function oneToOne(peerSendsVideo: boolean, closed: () => void = () => {}) {
  const asked: string[] = [];
  const member = new RemoteMember('p2p');
  const track = {} as MediaStreamTrack;
  member.showStream({
    getAudioTracks: () => [track],
    getVideoTracks: () => (peerSendsVideo ? [track] : []),
  } as unknown as MediaStream);
  const connection: BridgingConnection = {
    peer: { slot: 1 },
    detach: () => void asked.push('handOver'),
    hangUp: () => void asked.push('hangUp'),
    startVideo: async () => void asked.push('startVideo'),
  };
  const paths = new CallPaths(member, 'p2p');
  paths.p2pRetires(() => void asked.push('moving'));
  paths.bridge(connection, closed);
  return { paths, asked, member };
}

const frames = (audio: number, video: number): SenderFrameCounts => ({
  slot: 1,
  audio: { decrypted: audio, decryptFailed: 0 },
  video: { decrypted: video, decryptFailed: 0 },
});

/** The SFU worker reports the peer's `counts` so far, and the call's paths hear of it. */
const reported = (paths: CallPaths, member: RemoteMember, counts: SenderFrameCounts) => {
  member.framesCounted('sfu', counts, 0);
  paths.framesThroughSfu();
};

afterEach(() => jest.useRealTimers());

test("the peer's tile plays the 1:1 connection until its audio and video decrypt through the SFU in two reports", () => {
  const { paths, member } = oneToOne(true);
  const told: string[] = [];
  paths.switchToSfu(() => told.push('carried'));
  expect(member.path.value).toBe('p2p');

  reported(paths, member, frames(10, 0)); // audio only: its video is not carried yet
  reported(paths, member, frames(20, 0));
  expect(member.path.value).toBe('p2p');
  reported(paths, member, frames(30, 5)); // both flow: the first such report
  expect(member.path.value).toBe('p2p');
  reported(paths, member, frames(40, 9)); // more of both: the SFU's tracks play now
  expect(member.path.value).toBe('sfu');
  expect(told).toEqual(['carried']);
  reported(paths, member, frames(50, 12));
  expect(told).toEqual(['carried']);
  paths.forgetRetiring();
});

test('a peer that sends no video is carried on its audio alone', () => {
  const { paths, member } = oneToOne(false);
  paths.switchToSfu(() => {});
  reported(paths, member, frames(10, 0));
  reported(paths, member, frames(20, 0));
  expect(member.path.value).toBe('sfu');
  paths.forgetRetiring();
});

test('the 1:1 connection closes once both directions are carried, once, and the group call hears it', () => {
  let closed = 0;
  const { paths, asked, member } = oneToOne(false, () => (closed += 1));
  paths.switchToSfu(() => {});
  paths.peerReceivesUs(2); // not the peer: nothing
  reported(paths, member, frames(10, 0));
  reported(paths, member, frames(20, 0));
  expect(asked).toEqual(['moving']);
  paths.peerReceivesUs(1);
  expect(asked).toEqual(['moving', 'handOver']);
  expect(closed).toBe(1);
  paths.closeRetiring();
  expect(closed).toBe(1);
});

test('the safety bound closes it when the peer never says; a 1:1 call that ended by itself is never handed over', () => {
  jest.useFakeTimers();
  const first = oneToOne(true);
  first.paths.switchToSfu(() => {}, 1_000);
  jest.advanceTimersByTime(1_000);
  expect(first.asked).toEqual(['moving', 'handOver']);

  const second = oneToOne(true);
  second.paths.switchToSfu(() => {}, 1_000);
  second.paths.forgetRetiring();
  jest.advanceTimersByTime(5_000);
  second.paths.closeRetiring();
  expect(second.asked).toEqual(['moving']);
  expect(second.member.path.value).toBe('sfu');
});

test('the 1:1 connection carries the call until the switch, the SFU from then on; it stays bridged, still sending, until it closes', () => {
  jest.useFakeTimers();
  const { paths, asked, member } = oneToOne(true);
  expect([paths.carries('p2p'), paths.carries('sfu')]).toEqual([true, false]);
  paths.switchToSfu(() => {}, 1_000);
  expect([paths.carries('p2p'), paths.carries('sfu')]).toEqual([false, true]);
  // Our media reaches the peer through the SFU, but its frames do not reach us that way yet.
  paths.peerReceivesUs(1);
  jest.advanceTimersByTime(999);
  expect(asked).toEqual(['moving']);
  expect(paths.bridged?.peer.slot).toBe(1);
  expect(member.path.value).toBe('p2p');
  jest.advanceTimersByTime(1);
  expect(asked).toEqual(['moving', 'handOver']);
  expect(paths.bridged).toBeNull();
  expect(paths.carries('sfu')).toBe(true);
});

test('a call entered as a group call is carried by the SFU from the start, with nothing to retire', () => {
  const paths = new CallPaths(new RemoteMember('sfu'), 'sfu');
  expect(paths.carries('sfu')).toBe(true);
  const told: string[] = [];
  paths.switchToSfu(() => told.push('carried'));
  paths.peerReceivesUs(1);
  paths.closeRetiring();
  expect(told).toEqual([]);
  expect(paths.bridged).toBeNull();
});
