import {
  DECRYPT_FAILED_AFTER_MS,
  e2eeStatusText,
} from '../../../../renderer/call/E2eeStatusTracker';
import { MEDIA_FLOWING_MS } from '../../../../renderer/state/remoteMembers/MemberFlow';
import { RemoteMember } from '../../../../renderer/state/remoteMembers/RemoteMember';

/** Cumulative counts of incoming frames, as the worker reports them. */
const frames = (audio: [number, number], video: [number, number] = audio) => ({
  audio: { decrypted: audio[0], decryptFailed: audio[1] },
  video: { decrypted: video[0], decryptFailed: video[1] },
});

/** Stands in for the peer connection's stream: only its video tracks are read. */
const streamWith = (videoTracks: number) =>
  ({ getVideoTracks: () => new Array<object>(videoTracks).fill({}) }) as unknown as MediaStream;

describe('what a remote member says it sends', () => {
  test('a member muting shows muted, turning the camera off shows it off, and back', () => {
    const member = new RemoteMember();
    expect(member.muted.value).toBe(false);
    expect(member.cameraOff.value).toBe(false);
    member.said({ audio: false, video: true });
    expect(member.muted.value).toBe(true);
    expect(member.cameraOff.value).toBe(false);
    member.said({ audio: true, video: false, screen: false });
    expect(member.muted.value).toBe(false);
    expect(member.cameraOff.value).toBe(true);
    expect(member.media.value).toEqual({ audio: true, video: false, screen: false });
  });

  test('a peer that answered with sound only shows no video until it says its camera is on', () => {
    const member = new RemoteMember();
    member.answeredWithVideo(false);
    member.showStream(streamWith(1));
    expect(member.hasVideo.value).toBe(false);
    member.said({ audio: true, video: true });
    expect(member.hasVideo.value).toBe(true);
  });

  test('a stream without a video track shows no video, however the member answered', () => {
    const member = new RemoteMember();
    member.showStream(streamWith(0));
    expect(member.stream.value).not.toBeNull();
    expect(member.hasVideo.value).toBe(false);
  });

  test('the end of the call forgets everything of the member', () => {
    const member = new RemoteMember();
    member.said({ audio: false, video: false });
    member.showStream(streamWith(1));
    member.verified(true);
    member.safetyNumber = '12345';
    member.framesCounted('p2p', frames([5, 0]), 0);
    member.reset();
    expect(member.muted.value).toBe(false);
    expect(member.stream.value).toBeNull();
    expect(member.hasVideo.value).toBe(false);
    expect(member.trust).toBeNull();
    expect(member.keyChanged).toBe(false);
    expect(member.safetyNumber).toBeNull();
    expect(member.e2ee.state.value).toBe('negotiating');
  });
});

describe("a remote member's frames", () => {
  test("frames failing for 2 s with none decrypting show can't decrypt, naming the kind", () => {
    const member = new RemoteMember();
    member.framesCounted('p2p', frames([4, 0], [0, 3]), 0);
    member.framesCounted('p2p', frames([8, 0], [0, 9]), DECRYPT_FAILED_AFTER_MS - 1);
    expect(member.e2ee.status.value).toEqual({ audio: 'encrypted', video: 'negotiating' });
    member.framesCounted('p2p', frames([12, 0], [0, 15]), DECRYPT_FAILED_AFTER_MS);
    expect(member.e2ee.status.value).toEqual({ audio: 'encrypted', video: 'decrypt_failed' });
    expect(member.e2ee.state.value).toBe('decrypt_failed');
    expect(e2eeStatusText(member.e2ee.status.value, 'Bob')).toBe(
      "Can't decrypt video from Bob; audio is end-to-end encrypted",
    );
    // Its video decrypts again: the call screen says so at once.
    member.framesCounted('p2p', frames([16, 0], [1, 15]), DECRYPT_FAILED_AFTER_MS + 500);
    expect(member.e2ee.state.value).toBe('encrypted');
  });

  test('media that stops reaching us shows as stalled, and flows again when frames come back', () => {
    const member = new RemoteMember();
    expect(member.flow.stalled(0)).toBe(false);
    member.framesCounted('p2p', frames([5, 0]), 1_000);
    expect(member.flow.receiving(1_000)).toBe(true);
    // The same counts again: nothing new decrypted.
    member.framesCounted('p2p', frames([5, 0]), 1_000 + MEDIA_FLOWING_MS - 1);
    expect(member.flow.stalled(1_000 + MEDIA_FLOWING_MS - 1)).toBe(false);
    expect(member.flow.stalled(1_000 + MEDIA_FLOWING_MS)).toBe(true);
    member.framesCounted('p2p', frames([6, 0]), 1_000 + MEDIA_FLOWING_MS);
    expect(member.flow.stalled(1_000 + MEDIA_FLOWING_MS)).toBe(false);
  });

  test('a new path counts from zero: nothing of the old one holds, and its first frames count', () => {
    const member = new RemoteMember('sfu');
    member.framesCounted('sfu', frames([500, 0]), 0);
    member.pathStartsOver('sfu');
    expect(member.e2ee.state.value).toBe('negotiating');
    expect(member.flow.frames).toBeNull();
    expect(member.flow.stalled(MEDIA_FLOWING_MS * 2)).toBe(false);
    member.framesCounted('sfu', frames([3, 0]), 100);
    expect(member.e2ee.state.value).toBe('encrypted');
    expect(member.flow.receiving(100)).toBe(true);
  });

  test("a 1:1 call's new worker counts from zero: the status holds, and decrypting frames still count", () => {
    const member = new RemoteMember();
    member.framesCounted('p2p', frames([500, 0]), 0);
    member.e2ee.countsStartOver();
    expect(member.e2ee.state.value).toBe('encrypted');
    member.framesCounted('p2p', frames([0, 5]), 100);
    member.framesCounted('p2p', frames([0, 9]), 100 + DECRYPT_FAILED_AFTER_MS);
    expect(member.e2ee.state.value).toBe('decrypt_failed');
  });
});

describe("a grown call's peer, one member over two paths", () => {
  test('what its tile shows it sends: over the 1:1 connection its stream less what it switched off, through the SFU what it said', () => {
    const member = new RemoteMember('p2p');
    member.showStream(streamWith(1));
    expect(member.sends.value).toEqual({ audio: true, video: true, screen: false });
    member.said({ audio: false, video: true });
    expect(member.sends.value).toEqual({ audio: false, video: true, screen: false });
    member.carriedBy('sfu');
    expect(member.sends.value).toEqual({ audio: false, video: true, screen: false });
    member.said({ audio: true, video: true, screen: true });
    expect(member.sends.value).toEqual({ audio: true, video: true, screen: true });
    // A member that joined through the SFU shows nothing sent until it says.
    expect(new RemoteMember('sfu').sends.value).toEqual({
      audio: false,
      video: false,
      screen: false,
    });
  });

  test('each path counts on its own: the SFU failing shows only once the SFU carries it, and the 1:1 counts stay as they were', () => {
    const member = new RemoteMember('p2p');
    member.framesCounted('p2p', frames([500, 0]), 0);
    member.framesCounted('sfu', frames([0, 4]), 0);
    member.framesCounted('sfu', frames([0, 9]), DECRYPT_FAILED_AFTER_MS);
    expect(member.e2ee.state.value).toBe('encrypted');
    expect(member.flow.receiving(DECRYPT_FAILED_AFTER_MS)).toBe(true);
    member.carriedBy('sfu');
    expect(member.e2ee.state.value).toBe('decrypt_failed');
    expect(member.flow.receiving(DECRYPT_FAILED_AFTER_MS)).toBe(false);
    // The SFU's path made again starts its counts over, and leaves the 1:1 connection's alone.
    member.pathStartsOver('sfu');
    expect(member.e2ee.state.value).toBe('negotiating');
    expect(member.framesThrough('sfu')).toBeNull();
    expect(member.framesThrough('p2p')).toEqual(frames([500, 0]));
  });

  test("a 1:1 call's new worker: the status holds, and its flow starts over with its counts, never stalled by the old ones", () => {
    const member = new RemoteMember('p2p');
    member.framesCounted('p2p', frames([500, 0]), 0);
    member.countsStartOver('p2p');
    expect(member.e2ee.state.value).toBe('encrypted');
    expect(member.flow.stalled(MEDIA_FLOWING_MS * 2)).toBe(false);
    member.framesCounted('p2p', frames([3, 0]), MEDIA_FLOWING_MS * 2);
    expect(member.flow.receiving(MEDIA_FLOWING_MS * 2)).toBe(true);
  });
});
