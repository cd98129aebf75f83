import {
  DECRYPT_FAILED_AFTER_MS,
  E2eeStatusTracker,
  NEGOTIATING,
  e2eeStatusText,
  overallE2eeState,
} from '../../../renderer/call/E2eeStatusTracker';

const frames = (decrypted: number, decryptFailed: number) => ({
  encrypted: 0,
  encryptFailed: 0,
  decrypted,
  decryptFailed,
});
/** The same counts for audio and video. */
const both = (decrypted: number, decryptFailed: number) => ({
  audio: frames(decrypted, decryptFailed),
  video: frames(decrypted, decryptFailed),
});

describe('the in-call encryption status', () => {
  test('negotiating until a frame decrypts, then encrypted', () => {
    const tracker = new E2eeStatusTracker();
    expect(tracker.update(both(0, 0), 0)).toEqual(NEGOTIATING);
    expect(tracker.update(both(12, 0), 500)).toEqual({ audio: 'encrypted', video: 'encrypted' });
  });

  test('frames that keep failing for 2 s with none decrypting: decrypt_failed', () => {
    const tracker = new E2eeStatusTracker();
    expect(tracker.update(both(0, 5), 0)).toEqual(NEGOTIATING);
    expect(tracker.update(both(0, 40), DECRYPT_FAILED_AFTER_MS - 1)).toEqual(NEGOTIATING);
    const failed = tracker.update(both(0, 60), DECRYPT_FAILED_AFTER_MS);
    expect(failed).toEqual({ audio: 'decrypt_failed', video: 'decrypt_failed' });
    expect(overallE2eeState(failed)).toBe('decrypt_failed');
    expect(tracker.update(both(3, 61), DECRYPT_FAILED_AFTER_MS + 500)).toEqual({
      audio: 'encrypted',
      video: 'encrypted',
    });
  });

  test('a few failures among decrypted frames (stale frames after a rotation) stay encrypted', () => {
    const tracker = new E2eeStatusTracker();
    let time = 0;
    for (let i = 1; i <= 10; i++) {
      expect(tracker.update(both(i * 20, i), (time += 500))).toEqual({
        audio: 'encrypted',
        video: 'encrypted',
      });
    }
  });

  test('video that fails while audio decrypts is video decrypt_failed, audio encrypted', () => {
    const tracker = new E2eeStatusTracker();
    let time = 0;
    let status = NEGOTIATING;
    for (let i = 1; i <= 6; i++) {
      // Audio frames decrypt; every video frame fails (e.g. dropped as a replay).
      status = tracker.update(
        { audio: frames(i * 25, 0), video: frames(0, i * 15) },
        (time += 500),
      );
    }
    expect(status).toEqual({ audio: 'encrypted', video: 'decrypt_failed' });
    expect(overallE2eeState(status)).toBe('decrypt_failed');
    expect(e2eeStatusText(status, 'Bob')).toBe(
      "Can't decrypt video from Bob; audio is end-to-end encrypted",
    );
    // Video recovers on its own; audio was never affected.
    status = tracker.update({ audio: frames(200, 0), video: frames(5, 100) }, time + 500);
    expect(status).toEqual({ audio: 'encrypted', video: 'encrypted' });
  });

  test('an audio-only call is encrypted once audio decrypts, with no video at all', () => {
    const tracker = new E2eeStatusTracker();
    const status = tracker.update({ audio: frames(30, 0), video: frames(0, 0) }, 500);
    expect(status).toEqual({ audio: 'encrypted', video: 'negotiating' });
    expect(overallE2eeState(status)).toBe('encrypted');
    expect(e2eeStatusText(status, 'Bob')).toBe('End-to-end encrypted');
  });

  test('each state has a sentence that names the peer and the kind that fails', () => {
    expect(e2eeStatusText({ audio: 'encrypted', video: 'encrypted' }, 'Bob')).toBe(
      'End-to-end encrypted',
    );
    expect(e2eeStatusText({ audio: 'decrypt_failed', video: 'decrypt_failed' }, 'Bob')).toBe(
      "Can't decrypt Bob's media: the encryption keys don't match",
    );
    expect(e2eeStatusText({ audio: 'decrypt_failed', video: 'encrypted' }, 'Bob')).toBe(
      "Can't decrypt audio from Bob; video is end-to-end encrypted",
    );
    expect(e2eeStatusText({ audio: 'decrypt_failed', video: 'negotiating' }, 'Bob')).toBe(
      "Can't decrypt audio from Bob",
    );
    expect(e2eeStatusText({ audio: 'negotiating', video: 'decrypt_failed' }, 'Bob')).toBe(
      "Can't decrypt video from Bob",
    );
    expect(e2eeStatusText(NEGOTIATING, 'Bob')).toMatch(/encryption/);
  });
});
