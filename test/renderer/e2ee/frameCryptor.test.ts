import { kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import { FrameCryptor, PREVIOUS_EPOCH_GRACE_MS } from '../../../renderer/e2ee/frameCryptor';
import { decodeHeader } from '../../../renderer/e2ee/sframe';
import { flipBit, randomBytes, rejectionCode } from './helpers';

const callerKey = Uint8Array.from({ length: 32 }, (_, i) => i);
const calleeKey = Uint8Array.from({ length: 32 }, (_, i) => 100 + i);

/** Alice (caller, slot 0) and Bob (callee, slot 1), each with the other's key. */
async function pair() {
  const alice = new FrameCryptor();
  const bob = new FrameCryptor();
  await alice.setSendKey(kidFor(0, 0), callerKey);
  await alice.setReceiveKey(kidFor(1, 0), calleeKey);
  await bob.setSendKey(kidFor(1, 0), calleeKey);
  await bob.setReceiveKey(kidFor(0, 0), callerKey);
  return { alice, bob };
}

const vp8KeyFrame = () =>
  Uint8Array.from([
    0x50,
    0x42,
    0x00,
    0x9d,
    0x01,
    0x2a,
    0x80,
    0x02,
    0xe0,
    0x01,
    ...randomBytes(500),
  ]);

describe('FrameCryptor', () => {
  test('a VP8 key frame round-trips with its 10-byte header in the clear in front of the SFrame', async () => {
    const { alice, bob } = await pair();
    const frame = vp8KeyFrame();
    const sent = await alice.encrypt('vp8', frame);
    expect(sent.subarray(0, 10)).toEqual(frame.subarray(0, 10));
    // The payload is not readable on the wire; the SFrame header names the caller's epoch-0 KID.
    expect(Buffer.from(sent).includes(Buffer.from(frame.subarray(10, 60)))).toBe(false);
    expect(decodeHeader(sent.subarray(10)).kid).toBe(kidFor(0, 0));
    expect(await bob.decrypt('vp8', sent)).toEqual(frame);
  });

  test('audio and video share one counter, so the same KID never reuses a nonce', async () => {
    const { alice, bob } = await pair();
    const opus = Uint8Array.from([0x78, ...randomBytes(60)]);
    const first = await alice.encrypt('opus', opus);
    const second = await alice.encrypt('vp8', vp8KeyFrame());
    expect(decodeHeader(first.subarray(1)).ctr).toBe(0n);
    expect(decodeHeader(second.subarray(10)).ctr).toBe(1n);
    expect(await bob.decrypt('opus', first)).toEqual(opus);
  });

  test('a frame tampered anywhere, clear prefix included, is refused', async () => {
    const { alice, bob } = await pair();
    const sent = await alice.encrypt('vp8', vp8KeyFrame());
    for (const bit of [8 * 4, 8 * 12 + 3, 8 * (sent.length - 1)]) {
      expect(await rejectionCode(bob.decrypt('vp8', flipBit(sent, bit)))).toBe('auth_failed');
    }
    expect(await rejectionCode(bob.decrypt('vp8', sent.subarray(0, sent.length - 4)))).toBe(
      'auth_failed',
    );
  });

  test('a receiver without the key, or with the wrong one, decrypts nothing', async () => {
    const { alice } = await pair();
    const sent = await alice.encrypt('opus', Uint8Array.from([0x78, 1, 2, 3]));
    expect(await rejectionCode(new FrameCryptor().decrypt('opus', sent))).toBe('unknown_kid');
    const wrong = new FrameCryptor();
    await wrong.setReceiveKey(kidFor(0, 0), calleeKey);
    expect(await rejectionCode(wrong.decrypt('opus', sent))).toBe('auth_failed');
  });

  test('without a send key nothing is encrypted', async () => {
    expect(await rejectionCode(new FrameCryptor().encrypt('opus', Uint8Array.of(1, 2)))).toBe(
      'unknown_kid',
    );
  });

  test('a replayed frame is refused', async () => {
    const { alice, bob } = await pair();
    const sent = await alice.encrypt('opus', Uint8Array.from([0x78, 9, 9]));
    await bob.decrypt('opus', sent);
    expect(await rejectionCode(bob.decrypt('opus', sent))).toBe('replay');
  });

  describe('epochs', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    test('the receiver follows a sender that ratcheted, and keeps the old epoch for the grace period', async () => {
      const { alice, bob } = await pair();
      const late = await alice.encrypt('opus', Uint8Array.from([0x78, 1])); // epoch 0, in flight
      let key: Uint8Array = callerKey;
      for (let epoch = 1; epoch <= 3; epoch++) key = await ratchetBaseKey(key);
      await alice.setSendKey(kidFor(0, 3), key);
      const fresh = await alice.encrypt('opus', Uint8Array.from([0x78, 2]));
      expect(decodeHeader(fresh.subarray(1)).kid).toBe(kidFor(0, 3));
      // Two frames of the new epoch at once: both decrypt, the key is derived once.
      const again = await alice.encrypt('opus', Uint8Array.from([0x78, 3]));
      await expect(
        Promise.all([bob.decrypt('opus', fresh), bob.decrypt('opus', again)]),
      ).resolves.toEqual([Uint8Array.from([0x78, 2]), Uint8Array.from([0x78, 3])]);
      expect(await bob.decrypt('opus', late)).toEqual(Uint8Array.from([0x78, 1]));
      const older = await (async () => {
        const stale = new FrameCryptor();
        await stale.setSendKey(kidFor(0, 0), callerKey);
        await stale.encrypt('opus', Uint8Array.of(0x78, 0));
        return stale.encrypt('opus', Uint8Array.of(0x78, 5)); // epoch 0, CTR 1
      })();
      jest.advanceTimersByTime(PREVIOUS_EPOCH_GRACE_MS);
      expect(await rejectionCode(bob.decrypt('opus', older))).toBe('unknown_kid');
    });

    test('a KID more than 16 epochs ahead is not followed', async () => {
      const { alice, bob } = await pair();
      let key: Uint8Array = callerKey;
      for (let epoch = 1; epoch <= 17; epoch++) key = await ratchetBaseKey(key);
      await alice.setSendKey(kidFor(0, 17), key);
      const far = await alice.encrypt('opus', Uint8Array.from([0x78, 1]));
      expect(await rejectionCode(bob.decrypt('opus', far))).toBe('unknown_kid');
    });
  });
});
