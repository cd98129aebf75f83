import {
  AES_256_GCM_SHA512_128,
  SFrameContext,
  SFrameSender,
  decodeHeader,
} from '../../../renderer/e2ee/sframe';
import { MAX_U64 } from '../../../renderer/e2ee/bytes';
import { rejectionCode, randomBytes } from './helpers';

const none = new Uint8Array();

describe('SFrameSender', () => {
  it('refuses to encrypt before it has a key', async () => {
    const sender = new SFrameSender(AES_256_GCM_SHA512_128);
    expect(sender.kid).toBeUndefined();
    expect(await rejectionCode(sender.encrypt(none, none))).toBe('unknown_kid');
  });

  it('counts from 0 upward, one CTR per frame, even for concurrent frames', async () => {
    const key = randomBytes(32);
    const sender = new SFrameSender(AES_256_GCM_SHA512_128);
    const receiver = new SFrameContext(AES_256_GCM_SHA512_128);
    await sender.setKey(42n, key);
    await receiver.setKey(42n, key);
    const frames = await Promise.all(
      Array.from({ length: 20 }, (_, i) => sender.encrypt(none, Uint8Array.of(i))),
    );
    expect(frames.map((f) => decodeHeader(f).ctr)).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    );
    expect(frames.every((f) => decodeHeader(f).kid === 42n)).toBe(true);
    expect(sender.nextCounter).toBe(20n);
    for (const [i, frame] of frames.entries()) {
      expect(await receiver.decrypt(none, frame)).toEqual(Uint8Array.of(i));
    }
  });

  it('restarts the counter on a new KID and never reuses a KID', async () => {
    const sender = new SFrameSender(AES_256_GCM_SHA512_128);
    await sender.setKey(1n, randomBytes(32));
    await sender.encrypt(none, none);
    await sender.setKey(2n, randomBytes(32));
    expect(sender.kid).toBe(2n);
    expect(sender.nextCounter).toBe(0n);
    expect(decodeHeader(await sender.encrypt(none, none))).toMatchObject({ kid: 2n, ctr: 0n });
    expect(await rejectionCode(sender.setKey(1n, randomBytes(32)))).toBe('counter_reused');
    expect(await rejectionCode(sender.setKey(2n, randomBytes(32)))).toBe('counter_reused');
  });

  it('ends on the key set last when an earlier key finishes deriving after it', async () => {
    // Key derivation is asynchronous Web Crypto, whose operations may finish in any order (a
    // busy machine's crypto threads): the first key's derivation is held until the second's is
    // done, as it can happen in the E2EE worker when a join ratchets right after a key was set.
    const importKey = crypto.subtle.importKey.bind(crypto.subtle);
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const spy = jest
      .spyOn(crypto.subtle, 'importKey')
      .mockImplementationOnce(async (...args: Parameters<SubtleCrypto['importKey']>) => {
        await firstHeld;
        return importKey(...args);
      });
    try {
      const sender = new SFrameSender(AES_256_GCM_SHA512_128);
      const older = randomBytes(32);
      const newer = randomBytes(32);
      const settingOlder = sender.setKey(1n, older);
      await sender.setKey(2n, newer);
      releaseFirst();
      await settingOlder;

      expect(sender.kid).toBe(2n);
      // Only a member given the newer key decrypts what is sent now.
      const frame = await sender.encrypt(none, Uint8Array.of(7));
      expect(decodeHeader(frame).kid).toBe(2n);
      const joiner = new SFrameContext(AES_256_GCM_SHA512_128);
      await joiner.setKey(2n, newer);
      expect(await joiner.decrypt(none, frame)).toEqual(Uint8Array.of(7));
    } finally {
      spy.mockRestore();
    }
  });

  it('uses CTR 2^64-1 and then refuses to wrap', async () => {
    const sender = new SFrameSender(AES_256_GCM_SHA512_128);
    await sender.setKey(1n, randomBytes(32));
    // Reach the end of the counter space without 2^64 frames.
    (sender as unknown as { counter: bigint }).counter = MAX_U64;
    expect(decodeHeader(await sender.encrypt(none, none)).ctr).toBe(MAX_U64);
    expect(await rejectionCode(sender.encrypt(none, none))).toBe('counter_exhausted');
    expect(await rejectionCode(sender.encrypt(none, none))).toBe('counter_exhausted');
    await sender.setKey(2n, randomBytes(32));
    expect(decodeHeader(await sender.encrypt(none, none)).ctr).toBe(0n);
  });
});
