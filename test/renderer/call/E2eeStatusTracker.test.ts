import {
  DECRYPT_FAILED_AFTER_MS,
  E2eeStatusTracker,
  e2eeStatusText,
} from '../../../renderer/call/E2eeStatusTracker';

const counts = (decrypted: number, decryptFailed: number) => ({
  encrypted: 0,
  encryptFailed: 0,
  decrypted,
  decryptFailed,
});

describe('the in-call encryption status', () => {
  test('negotiating until a frame decrypts, then encrypted', () => {
    const tracker = new E2eeStatusTracker();
    expect(tracker.update(counts(0, 0), 0)).toBe('negotiating');
    expect(tracker.update(counts(12, 0), 500)).toBe('encrypted');
  });

  test('frames that keep failing for 2 s with none decrypting: decrypt_failed', () => {
    const tracker = new E2eeStatusTracker();
    expect(tracker.update(counts(0, 5), 0)).toBe('negotiating');
    expect(tracker.update(counts(0, 40), DECRYPT_FAILED_AFTER_MS - 1)).toBe('negotiating');
    expect(tracker.update(counts(0, 60), DECRYPT_FAILED_AFTER_MS)).toBe('decrypt_failed');
    expect(tracker.update(counts(3, 61), DECRYPT_FAILED_AFTER_MS + 500)).toBe('encrypted');
  });

  test('a few failures among decrypted frames (stale frames after a rotation) stay encrypted', () => {
    const tracker = new E2eeStatusTracker();
    let time = 0;
    for (let i = 1; i <= 10; i++)
      expect(tracker.update(counts(i * 20, i), (time += 500))).toBe('encrypted');
  });

  test('each state has a sentence; the failure names the peer', () => {
    expect(e2eeStatusText('encrypted', 'Bob')).toBe('End-to-end encrypted');
    expect(e2eeStatusText('decrypt_failed', 'Bob')).toBe(
      "Can't decrypt Bob's media: the encryption keys don't match",
    );
    expect(e2eeStatusText('negotiating', 'Bob')).toMatch(/encryption/);
  });
});
