import {
  AES_128_CTR_HMAC_SHA256_80,
  AES_128_GCM_SHA256_128,
  CIPHER_SUITES,
  SFrameContext,
  SFrameError,
} from '../../../renderer/e2ee/sframe';
import { MAX_U64 } from '../../../renderer/e2ee/bytes';
import { flipBit, rejectionCode, randomBytes } from './helpers';
import { hex, loadVectors, unhex } from './vectors';

const vectors = loadVectors();
const suites = [...CIPHER_SUITES.values()];

async function pair(suite: number, kid: bigint, key: Uint8Array) {
  const sender = new SFrameContext(suite);
  const receiver = new SFrameContext(suite);
  await sender.setKey(kid, key);
  await receiver.setKey(kid, key);
  return { sender, receiver };
}

describe('SFrame encrypt/decrypt (RFC 9605 4.4), official vectors', () => {
  it.each(vectors.sframe.map((v) => [v.cipher_suite, v] as const))('suite %i', async (_id, v) => {
    const { sender, receiver } = await pair(v.cipher_suite, v.kid, unhex(v.base_key));
    const ct = await sender.encrypt(v.kid, v.ctr, unhex(v.metadata), unhex(v.pt));
    expect(hex(ct)).toBe(v.ct);
    expect(hex(await receiver.decrypt(unhex(v.metadata), unhex(v.ct)))).toBe(v.pt);
  });
});

describe.each(suites.map((s) => [s.name, s] as const))('%s', (_name, suite) => {
  it('round-trips empty, 1-byte and 100 KB frames with any KID and CTR', async () => {
    const kid = 0x1234_5678_9abc_def0n;
    const { sender, receiver } = await pair(suite.id, kid, randomBytes(32));
    const metadata = randomBytes(10);
    let ctr = 0n;
    for (const size of [0, 1, 100 * 1024]) {
      const plaintext = randomBytes(size);
      const frame = await sender.encrypt(kid, ctr, metadata, plaintext);
      expect(frame.length).toBe(1 + 8 + (ctr < 8n ? 0 : 1) + size + suite.nt);
      expect(hex(await receiver.decrypt(metadata, frame))).toBe(hex(plaintext));
      ctr += 7n;
    }
    const last = await sender.encrypt(kid, MAX_U64, new Uint8Array(), Uint8Array.of(9));
    expect(await receiver.decrypt(new Uint8Array(), last)).toEqual(Uint8Array.of(9));
  });

  it('refuses a flipped bit anywhere in the frame, or in the metadata', async () => {
    const kid = 300n;
    const { sender, receiver } = await pair(suite.id, kid, randomBytes(16));
    const metadata = Uint8Array.of(0x90, 0x80, 0x70);
    const frame = await sender.encrypt(kid, 1000n, metadata, randomBytes(24));
    const headerLength = 5; // config, 2-byte KID, 2-byte CTR
    for (let bit = 0; bit < frame.length * 8; bit++) {
      const code = await rejectionCode(receiver.decrypt(metadata, flipBit(frame, bit)));
      // A header bit may change the KID (unknown) or the field lengths; never accepted.
      if (bit >= headerLength * 8) expect(code).toBe('auth_failed');
      else expect(['auth_failed', 'unknown_kid', 'truncated', 'malformed_header']).toContain(code);
    }
    for (let bit = 0; bit < metadata.length * 8; bit++) {
      const bad = flipBit(metadata, bit);
      expect(await rejectionCode(receiver.decrypt(bad, frame))).toBe('auth_failed');
    }
    expect(await rejectionCode(receiver.decrypt(metadata.subarray(1), frame))).toBe('auth_failed');
    // None of that moved the replay window: the genuine frame still decrypts.
    expect((await receiver.decrypt(metadata, frame)).length).toBe(24);
  });

  it('refuses a header bit flip that keeps the same KID as auth_failed', async () => {
    const { sender, receiver } = await pair(suite.id, 1n, randomBytes(16));
    const frame = await sender.encrypt(1n, 2n, new Uint8Array(), randomBytes(5));
    const bad = flipBit(frame, 0); // CTR 2 -> 3, same header length
    expect(await rejectionCode(receiver.decrypt(new Uint8Array(), bad))).toBe('auth_failed');
  });

  it('refuses every truncation', async () => {
    const kid = 0xabcdefn;
    const { sender, receiver } = await pair(suite.id, kid, randomBytes(16));
    const frame = await sender.encrypt(kid, 0x1234n, new Uint8Array(), randomBytes(8));
    const headerLength = 1 + 3 + 2;
    for (let length = 0; length < frame.length; length++) {
      const code = await rejectionCode(
        receiver.decrypt(new Uint8Array(), frame.subarray(0, length)),
      );
      const expected = length < headerLength + suite.nt ? 'truncated' : 'auth_failed';
      expect([length, code]).toEqual([length, expected]);
    }
  });

  it('puts the metadata in the clear in front with encryptAfterMetadata, and takes it back off', async () => {
    const kid = 300n;
    const { sender, receiver } = await pair(suite.id, kid, randomBytes(32));
    const metadata = randomBytes(10);
    const plaintext = randomBytes(5000);
    const sframe = await sender.encrypt(kid, 8n, metadata, plaintext);
    const prefixed = await sender.encryptAfterMetadata(kid, 9n, metadata, plaintext);
    expect(prefixed.subarray(0, 10)).toEqual(metadata);
    expect(prefixed.length).toBe(10 + sframe.length);
    const opened = await receiver.decryptAfterMetadata(metadata, prefixed.subarray(10));
    expect(opened).toEqual(Uint8Array.from([...metadata, ...plaintext]));
    expect(await receiver.decrypt(metadata, sframe)).toEqual(plaintext);
  });

  it('lets the caller overwrite its buffers as soon as encrypt or decrypt returns', async () => {
    const kid = 9n;
    const { sender, receiver } = await pair(suite.id, kid, randomBytes(32));
    const metadata = randomBytes(3);
    const plaintext = randomBytes(2000);
    const [metadataCopy, plaintextCopy] = [metadata.slice(), plaintext.slice()];
    const sealing = sender.encryptAfterMetadata(kid, 0n, metadata, plaintext);
    metadata.fill(0);
    plaintext.fill(0);
    const frame = await sealing;
    const wire = frame.slice();
    const opening = receiver.decryptAfterMetadata(frame.subarray(0, 3), frame.subarray(3));
    frame.fill(0);
    expect(await opening).toEqual(Uint8Array.from([...metadataCopy, ...plaintextCopy]));
    // Concurrent frames reuse the key's nonce and AAD buffers: each still gets its own.
    const frames = await Promise.all(
      [1n, 2n, 3n].map((ctr) => sender.encrypt(kid, ctr, metadataCopy, plaintextCopy)),
    );
    const opened = await Promise.all(frames.map((f) => receiver.decrypt(metadataCopy, f)));
    for (const each of opened) expect(each).toEqual(plaintextCopy);
    expect(await rejectionCode(receiver.decrypt(metadataCopy, wire.subarray(3)))).toBe('replay');
  });

  it('refuses a frame made with another key for the same KID', async () => {
    const sender = new SFrameContext(suite.id);
    const receiver = new SFrameContext(suite.id);
    await sender.setKey(4n, randomBytes(16));
    await receiver.setKey(4n, randomBytes(16));
    const frame = await sender.encrypt(4n, 0n, new Uint8Array(), randomBytes(10));
    expect(await rejectionCode(receiver.decrypt(new Uint8Array(), frame))).toBe('auth_failed');
  });
});

describe('SFrameContext keys', () => {
  it('refuses an unknown KID on both sides', async () => {
    const { sender, receiver } = await pair(AES_128_GCM_SHA256_128, 1n, randomBytes(16));
    expect(await rejectionCode(sender.encrypt(2n, 0n, new Uint8Array(), new Uint8Array()))).toBe(
      'unknown_kid',
    );
    const other = new SFrameContext(AES_128_GCM_SHA256_128);
    await other.setKey(2n, randomBytes(16));
    const frame = await other.encrypt(2n, 0n, new Uint8Array(), Uint8Array.of(1));
    expect(await rejectionCode(receiver.decrypt(new Uint8Array(), frame))).toBe('unknown_kid');
  });

  it('forgets a removed key, and a removal wins over a setKey still running', async () => {
    const key = randomBytes(16);
    const { sender, receiver } = await pair(AES_128_GCM_SHA256_128, 7n, key);
    const frame = await sender.encrypt(7n, 0n, new Uint8Array(), Uint8Array.of(1));
    receiver.removeKey(7n);
    expect(receiver.hasKey(7n)).toBe(false);
    expect(await rejectionCode(receiver.decrypt(new Uint8Array(), frame))).toBe('unknown_kid');
    const pending = receiver.setKey(7n, key);
    receiver.removeKey(7n);
    await pending;
    expect(receiver.hasKey(7n)).toBe(false);
    await receiver.setKey(7n, key);
    expect(await receiver.decrypt(new Uint8Array(), frame)).toEqual(Uint8Array.of(1));
  });

  it('keeps the last of two concurrent setKey calls for one KID', async () => {
    const [a, b] = [randomBytes(16), randomBytes(16)];
    const { sender } = await pair(AES_128_GCM_SHA256_128, 3n, b);
    const receiver = new SFrameContext(AES_128_GCM_SHA256_128);
    await Promise.all([receiver.setKey(3n, a), receiver.setKey(3n, b)]);
    const frame = await sender.encrypt(3n, 0n, new Uint8Array(), Uint8Array.of(5));
    expect(await receiver.decrypt(new Uint8Array(), frame)).toEqual(Uint8Array.of(5));
  });

  it('accepts base keys of any non-zero length and refuses an empty one', async () => {
    const context = new SFrameContext(AES_128_CTR_HMAC_SHA256_80);
    await context.setKey(0n, Uint8Array.of(1));
    await context.setKey(1n, randomBytes(200));
    expect(await rejectionCode(context.setKey(2n, new Uint8Array()))).toBe('bad_key');
  });

  it('uses a key for encryption or decryption, never both (RFC 9605 4.4.1)', async () => {
    const { sender, receiver } = await pair(AES_128_GCM_SHA256_128, 9n, randomBytes(16));
    const frame = await sender.encrypt(9n, 0n, new Uint8Array(), Uint8Array.of(1));
    // A frame reflected back to its sender is refused.
    expect(await rejectionCode(sender.decrypt(new Uint8Array(), frame))).toBe('key_direction');
    await receiver.decrypt(new Uint8Array(), frame);
    expect(await rejectionCode(receiver.encrypt(9n, 5n, new Uint8Array(), new Uint8Array()))).toBe(
      'key_direction',
    );
  });

  it('never encrypts twice with one KID and CTR (RFC 9605 7.4)', async () => {
    const key = randomBytes(16);
    const context = new SFrameContext(AES_128_GCM_SHA256_128);
    await context.setKey(1n, key);
    await context.encrypt(1n, 5n, new Uint8Array(), new Uint8Array());
    for (const ctr of [5n, 4n, 0n]) {
      const promise = context.encrypt(1n, ctr, new Uint8Array(), new Uint8Array());
      expect(await rejectionCode(promise)).toBe('counter_reused');
    }
    // Not even after the key is set again.
    context.removeKey(1n);
    await context.setKey(1n, key);
    expect(await rejectionCode(context.encrypt(1n, 5n, new Uint8Array(), new Uint8Array()))).toBe(
      'counter_reused',
    );
    await context.encrypt(1n, 6n, new Uint8Array(), new Uint8Array());
  });

  it('refuses bad arguments with invalid_argument or unsupported_suite', async () => {
    expect(() => new SFrameContext(0)).toThrow(SFrameError);
    expect(() => new SFrameContext(6)).toThrow(
      expect.objectContaining({ code: 'unsupported_suite' }),
    );
    const context = new SFrameContext(AES_128_GCM_SHA256_128);
    await context.setKey(1n, randomBytes(16));
    const empty = new Uint8Array();
    for (const promise of [
      context.setKey(-1n, randomBytes(16)),
      context.setKey(MAX_U64 + 1n, randomBytes(16)),
      context.setKey(1 as unknown as bigint, randomBytes(16)),
      context.setKey(1n, 'key' as unknown as Uint8Array),
      context.encrypt(1n, -1n, empty, empty),
      context.encrypt(1n, MAX_U64 + 1n, empty, empty),
      context.encrypt(1n, 0n, [] as unknown as Uint8Array, empty),
      context.decrypt(empty, new ArrayBuffer(8) as unknown as Uint8Array),
    ]) {
      expect(await rejectionCode(promise)).toBe('invalid_argument');
    }
    expect(() => context.removeKey(-1n)).toThrow(SFrameError);
  });

  it('accepts Node Buffers and views into larger buffers', async () => {
    const { sender, receiver } = await pair(AES_128_GCM_SHA256_128, 1n, Buffer.alloc(16, 1));
    const big = Buffer.alloc(64, 0x33);
    const frame = await sender.encrypt(1n, 0n, big.subarray(2, 4), big.subarray(10, 20));
    const padded = new Uint8Array(frame.length + 6);
    padded.set(frame, 3);
    const plaintext = await receiver.decrypt(
      big.subarray(2, 4),
      padded.subarray(3, 3 + frame.length),
    );
    expect(hex(plaintext)).toBe('33'.repeat(10));
  });
});
