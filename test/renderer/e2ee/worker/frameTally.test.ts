import { FrameTally } from '../../../../renderer/e2ee/worker/frameTally';
import { MAX_KEYLESS_SENDERS } from '../../../../renderer/e2ee/worker/messages';

describe('FrameTally', () => {
  test('frames naming made-up slots fill a bounded number of entries; slots with a key are always counted', () => {
    const keyed = new Set([2, 3]);
    const tally = new FrameTally((slot) => keyed.has(slot));
    for (let slot = 100; slot < 100 + MAX_KEYLESS_SENDERS + 20; slot++) {
      tally.decryptFailed('video', slot);
    }
    tally.decrypted('audio', 2);
    tally.decryptFailed('audio', 3);
    const { senders, counts } = tally.report();
    expect(senders.map((s) => s.slot)).toEqual([
      2,
      3,
      ...Array.from({ length: MAX_KEYLESS_SENDERS }, (_, i) => 100 + i),
    ]);
    expect(senders[0]!.audio).toEqual({ decrypted: 1, decryptFailed: 0 });
    expect(senders[1]!.audio).toEqual({ decrypted: 0, decryptFailed: 1 });
    // Every frame still counts in the totals.
    expect(counts.video.decryptFailed).toBe(MAX_KEYLESS_SENDERS + 20);
    expect(counts.audio).toEqual({
      encrypted: 0,
      encryptFailed: 0,
      decrypted: 1,
      decryptFailed: 1,
    });
  });

  test('a report is a snapshot: later frames do not change one already sent', () => {
    const tally = new FrameTally(() => true);
    tally.encrypted('audio');
    tally.decrypted('video', 4);
    const first = tally.report();
    tally.encrypted('audio');
    tally.decrypted('video', 4);
    expect(first.counts.audio.encrypted).toBe(1);
    expect(first.senders).toEqual([
      {
        slot: 4,
        audio: { decrypted: 0, decryptFailed: 0 },
        video: { decrypted: 1, decryptFailed: 0 },
      },
    ]);
    expect(tally.report().senders[0]!.video.decrypted).toBe(2);
  });
});
