import { AES_128_CTR_HMAC_SHA256_32, SFrameContext } from '../../../renderer/e2ee/sframe';
import { ReplayWindow } from '../../../renderer/e2ee/replayWindow';
import { MAX_U64 } from '../../../renderer/e2ee/bytes';
import { flipBit, rejectionCode, randomBytes } from './helpers';

describe('ReplayWindow', () => {
  it('accepts each counter once, out of order within the window, and refuses older ones', () => {
    const window = new ReplayWindow(64);
    for (const ctr of [0n, 1n, 5n, 3n, 2n]) {
      expect(window.check(ctr)).toBe('fresh');
      window.accept(ctr);
      expect(window.check(ctr)).toBe('duplicate');
    }
    expect(window.check(4n)).toBe('fresh');
    window.accept(100n);
    expect(window.check(36n)).toBe('too_old');
    expect(window.check(37n)).toBe('fresh');
    expect(window.check(99n)).toBe('fresh');
    expect(window.check(100n)).toBe('duplicate');
    expect(window.check(37n)).toBe('fresh');
    // 40 and 104 share a bit: sliding past 104 must forget 40.
    window.accept(40n);
    window.accept(110n);
    expect(window.check(40n)).toBe('too_old');
    expect(window.check(104n)).toBe('fresh');
    window.accept(1000n);
    expect(window.check(936n)).toBe('too_old');
    expect(window.check(937n)).toBe('fresh');
    expect(window.check(999n)).toBe('fresh');
  });

  it('handles the largest counter', () => {
    const window = new ReplayWindow();
    window.accept(MAX_U64);
    expect(window.check(MAX_U64)).toBe('duplicate');
    expect(window.check(MAX_U64 - 1023n)).toBe('fresh');
    expect(window.check(MAX_U64 - 1024n)).toBe('too_old');
  });

  it('refuses a size that is not a multiple of 32', () => {
    expect(() => new ReplayWindow(100)).toThrow(RangeError);
  });
});

describe('SFrameContext replay protection', () => {
  const suite = AES_128_CTR_HMAC_SHA256_32;
  const none = new Uint8Array();

  async function setup(replayWindow = 128) {
    const key = randomBytes(16);
    const sender = new SFrameContext(suite);
    const receiver = new SFrameContext(suite, { replayWindow });
    await sender.setKey(1n, key);
    await receiver.setKey(1n, key);
    const frames = new Map<bigint, Uint8Array>();
    const frame = async (ctr: bigint) => {
      const made =
        frames.get(ctr) ?? (await sender.encrypt(1n, ctr, none, Uint8Array.of(Number(ctr % 256n))));
      frames.set(ctr, made);
      return made;
    };
    return { receiver, frame };
  }

  it('refuses the same frame twice', async () => {
    const { receiver, frame } = await setup();
    await receiver.decrypt(none, await frame(0n));
    expect(await rejectionCode(receiver.decrypt(none, await frame(0n)))).toBe('replay');
  });

  it('refuses the second of two copies decrypted at the same time', async () => {
    const { receiver, frame } = await setup();
    const copy = await frame(0n);
    const results = await Promise.allSettled([
      receiver.decrypt(none, copy),
      receiver.decrypt(none, copy),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('accepts out of order within the window and refuses frames older than it', async () => {
    const { receiver, frame } = await setup(128);
    for (const ctr of [0n, 1n, 2n, 3n, 4n, 5n, 100n, 199n, 200n]) await frame(ctr); // in order
    await receiver.decrypt(none, await frame(5n));
    await receiver.decrypt(none, await frame(3n));
    await receiver.decrypt(none, await frame(4n));
    await receiver.decrypt(none, await frame(200n));
    await receiver.decrypt(none, await frame(199n));
    expect(await receiver.decrypt(none, await frame(100n))).toEqual(Uint8Array.of(100));
    expect(await rejectionCode(receiver.decrypt(none, await frame(0n)))).toBe('replay');
    expect(await rejectionCode(receiver.decrypt(none, await frame(199n)))).toBe('replay');
  });

  it('does not let a forged frame with a future counter move the window', async () => {
    const { receiver, frame } = await setup(128);
    const old = await frame(10n);
    const genuine = await frame(MAX_U64);
    const future = flipBit(genuine, genuine.length * 8 - 1); // forged: the tag no longer verifies
    expect(await rejectionCode(receiver.decrypt(none, future))).toBe('auth_failed');
    expect(await receiver.decrypt(none, old)).toEqual(Uint8Array.of(10));
  });

  it('keeps a window per KID, and starts a new one with a new key', async () => {
    const key = randomBytes(16);
    const sender = new SFrameContext(suite);
    const receiver = new SFrameContext(suite);
    await Promise.all([sender.setKey(1n, key), sender.setKey(2n, key)]);
    await Promise.all([receiver.setKey(1n, key), receiver.setKey(2n, key)]);
    const a = await sender.encrypt(1n, 5000n, none, none);
    const b = await sender.encrypt(2n, 0n, none, none);
    await receiver.decrypt(none, a);
    await receiver.decrypt(none, b); // KID 2's window is not KID 1's
    await receiver.setKey(1n, key);
    await receiver.decrypt(none, a);
  });
});
