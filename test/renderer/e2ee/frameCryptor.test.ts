import { kidFor, ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import { FrameCryptor, PREVIOUS_EPOCH_GRACE_MS } from '../../../renderer/e2ee/frameCryptor';
import {
  SFrameContext,
  SFrameError,
  decodeHeader,
  encodeHeader,
} from '../../../renderer/e2ee/sframe';
import { AES_128_GCM_SHA256_128 } from '../../../renderer/e2ee/cipherSuites';
import { VP8_KEY_FRAME_HEADER, flipBit, randomBytes, rejectionCode } from './helpers';

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

const vp8KeyFrame = () => Uint8Array.from([...VP8_KEY_FRAME_HEADER, ...randomBytes(500)]);

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

  test('interleaved audio and video frames take consecutive counters and all decrypt', async () => {
    const { alice, bob } = await pair();
    const sent: { codec: 'opus' | 'vp8'; frame: Uint8Array; wire: Uint8Array }[] = [];
    for (let i = 0; i < 30; i++) {
      const codec = i % 3 === 0 ? 'vp8' : 'opus';
      const frame = codec === 'vp8' ? vp8KeyFrame() : Uint8Array.from([0x78, ...randomBytes(40)]);
      sent.push({ codec, frame, wire: await alice.encrypt(codec, frame) });
    }
    const counters = sent.map(
      ({ codec, wire }) => decodeHeader(wire.subarray(codec === 'vp8' ? 10 : 1)).ctr,
    );
    expect(counters).toEqual(Array.from({ length: 30 }, (_, i) => BigInt(i)));
    for (const { codec, frame, wire } of sent)
      expect(await bob.decrypt(codec, wire)).toEqual(frame);
  });

  test('a sender that counts each track from 0 under one KID gets the second track dropped as replays', async () => {
    const { bob } = await pair();
    // The mistake the protocol rules out: one counter per track, both under the caller's KID.
    const kid = kidFor(0, 0);
    const audioSender = new SFrameContext(AES_128_GCM_SHA256_128);
    const videoSender = new SFrameContext(AES_128_GCM_SHA256_128);
    await audioSender.setKey(kid, callerKey);
    await videoSender.setKey(kid, callerKey);
    const videoCodes: string[] = [];
    for (let ctr = 0n; ctr < 5n; ctr++) {
      const toc = Uint8Array.of(0x78);
      const audio = await audioSender.encrypt(kid, ctr, toc, randomBytes(40));
      expect(await bob.decrypt('opus', Uint8Array.from([...toc, ...audio]))).toHaveLength(41);
      const frame = vp8KeyFrame();
      const prefix = frame.subarray(0, 10);
      const video = await videoSender.encrypt(kid, ctr, prefix, frame.subarray(10));
      videoCodes.push(
        await rejectionCode(bob.decrypt('vp8', Uint8Array.from([...prefix, ...video]))),
      );
    }
    expect(videoCodes).toEqual(['replay', 'replay', 'replay', 'replay', 'replay']);
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

  test('frames shorter than their clear prefix, empty ones and other codecs are never sent', async () => {
    const { alice } = await pair();
    for (const [codec, frame] of [
      ['opus', new Uint8Array()],
      ['vp8', new Uint8Array()],
      ['vp8', vp8KeyFrame().subarray(0, 9)], // a key frame needs 10 bytes
      ['vp8', Uint8Array.of(0x31, 0x0a)], // a delta frame needs 3
      ['other', vp8KeyFrame()],
    ] as const) {
      expect(await rejectionCode(alice.encrypt(codec, frame))).toBe('unprotectable_frame');
    }
  });

  test('a frame exactly as long as its prefix is sent: prefix, then an SFrame of nothing', async () => {
    const { alice, bob } = await pair();
    const toc = Uint8Array.of(0xf8); // an Opus packet with no frame data (DTX)
    const sent = await alice.encrypt('opus', toc);
    expect(sent.length).toBe(1 + 1 + 16); // TOC, one-byte header, 16-byte tag
    expect(await bob.decrypt('opus', sent)).toEqual(toc);
    const delta = Uint8Array.of(0x31, 0x0a, 0x00);
    expect(await bob.decrypt('vp8', await alice.encrypt('vp8', delta))).toEqual(delta);
  });

  test('an unencrypted frame is never accepted: empty, short, plain media, or prefix only', async () => {
    const { bob } = await pair();
    const plain: [string, 'opus' | 'vp8', Uint8Array][] = [
      ['empty', 'opus', new Uint8Array()],
      ['empty video', 'vp8', new Uint8Array()],
      ['a plain Opus packet', 'opus', Uint8Array.from([0x78, ...randomBytes(60)])],
      ['a plain Opus TOC byte', 'opus', Uint8Array.of(0x78)],
      ['a plain VP8 key frame', 'vp8', vp8KeyFrame()],
      ['a plain VP8 delta frame', 'vp8', Uint8Array.from([0x31, 0x0a, 0x00, ...randomBytes(80)])],
      ['a VP8 key frame cut inside its prefix', 'vp8', vp8KeyFrame().subarray(0, 7)],
    ];
    const accepted: string[] = [];
    for (const [what, codec, frame] of plain) {
      try {
        await bob.decrypt(codec, frame);
        accepted.push(what);
      } catch (error) {
        expect(error).toBeInstanceOf(SFrameError);
      }
    }
    expect(accepted).toEqual([]);
  });

  test('a frame sent as one codec is refused when it arrives as another', async () => {
    const { alice, bob } = await pair();
    const sent = await alice.encrypt('opus', Uint8Array.from([0x78, ...randomBytes(60)]));
    expect(await rejectionCode(bob.decrypt('other', sent))).toBe('unprotectable_frame');
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

    test('a forged frame of a later epoch moves the receiver nowhere: the sender still decrypts after the grace period', async () => {
      const { alice, bob } = await pair();
      // Anyone on the path (the SFU included) can write a KID: this one names Alice's next epoch.
      const forged = Uint8Array.from([0x78, ...encodeHeader(kidFor(0, 1), 0n), ...randomBytes(40)]);
      expect(await rejectionCode(bob.decrypt('opus', forged))).toBe('auth_failed');
      expect(jest.getTimerCount()).toBe(0); // nothing was retired, so nothing waits to be
      jest.advanceTimersByTime(PREVIOUS_EPOCH_GRACE_MS);
      const current = await alice.encrypt('opus', Uint8Array.of(0x78, 1));
      expect(await bob.decrypt('opus', current)).toEqual(Uint8Array.of(0x78, 1));
      // The forged KID left no key behind, and Alice's real move to that epoch is still followed.
      expect(await rejectionCode(bob.decrypt('opus', forged))).toBe('auth_failed');
      await alice.setSendKey(kidFor(0, 1), await ratchetBaseKey(callerKey));
      const next = await alice.encrypt('opus', Uint8Array.of(0x78, 2));
      expect(await bob.decrypt('opus', next)).toEqual(Uint8Array.of(0x78, 2));
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
