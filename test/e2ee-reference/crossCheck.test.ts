/**
 * Cross-check of the product SFrame codec (renderer/e2ee/sframe.ts, public API only) against the
 * independent reference in ./referenceSFrame.ts, for all five cipher suites, KIDs and CTRs at
 * every header length boundary up to 2^64-1, and payload sizes from 0 to 100000 bytes:
 *
 * - product encrypt == reference protect, byte for byte;
 * - reference-protected frames decrypt with the product;
 * - product-encrypted frames unprotect with the reference;
 * - a frame (or its metadata) with one flipped bit is refused by both.
 *
 * Inputs come from a seeded generator. The seed is random per run unless SFRAME_XCHECK_SEED is
 * set, and every failure message carries it, so any mismatch can be replayed exactly.
 *
 * The product is used only through `SFrameContext`. Each operation gets a fresh context with one
 * key, so the product's per-KID replay window and any encrypt/decrypt key-role rule never mask a
 * codec difference; a separate test exercises one long-lived receiving context.
 */
import { createHash, randomBytes } from 'node:crypto';
import { FrameCryptor } from '../../renderer/e2ee/frameCryptor';
import { AES_128_GCM_SHA256_128, SFrameContext } from '../../renderer/e2ee/sframe';
import {
  MAX_U64,
  SUITE_IDS,
  aeadSeal,
  decodeHeader,
  deriveKeyAndSalt,
  encodeHeader,
  frameNonce,
  protect,
  suiteParams,
  unprotect,
} from './referenceSFrame';

jest.setTimeout(300_000);

const SEED = process.env.SFRAME_XCHECK_SEED ?? randomBytes(8).toString('hex');

/** Deterministic byte stream: SHA-256(seed || label || block counter). */
class SeededBytes {
  private counter = 0;
  constructor(private readonly label: string) {}

  bytes(n: number): Buffer {
    const out = Buffer.alloc(n);
    for (let filled = 0; filled < n; filled += 32) {
      createHash('sha256')
        .update(`${SEED}/${this.label}/${this.counter++}`)
        .digest()
        .copy(out, filled);
    }
    return out;
  }

  int(below: number): number {
    return this.bytes(4).readUInt32BE(0) % below;
  }

  u64(): bigint {
    // Random width first, so short and long values are both common.
    const width = 1 + this.int(8);
    return BigInt('0x' + this.bytes(width).toString('hex'));
  }
}

/** 0, small values, and both sides of every header length boundary up to 2^64-1. */
const BOUNDARY_VALUES: readonly bigint[] = (() => {
  const values = [0n, 1n, 5n, 7n, 8n];
  for (let bits = 8n; bits <= 64n; bits += 8n) {
    values.push((1n << bits) - 1n);
    if (bits < 64n) values.push(1n << bits);
  }
  return values;
})();

const PAYLOAD_SIZES: readonly number[] = [0, 1, 15, 16, 17, 1000, 100000];
const BASE_KEY_SIZES: readonly number[] = [16, 32, 64];

interface Case {
  suite: number;
  kid: bigint;
  ctr: bigint;
  baseKey: Buffer;
  metadata: Buffer;
  plaintext: Buffer;
}

type Outcome = { ok: true; value: Buffer } | { ok: false; error: unknown };

const HEX_LIMIT = 96;

function hexOf(data: Uint8Array): string {
  const b = Buffer.from(data);
  const digest = createHash('sha256').update(b).digest('hex').slice(0, 16);
  if (b.length <= HEX_LIMIT) return `${b.toString('hex') || '(empty)'} [${b.length} B]`;
  return `${b.subarray(0, 48).toString('hex')}... [${b.length} B, sha256 ${digest}...]`;
}

function describeCase(c: Case): string {
  return (
    `seed=${SEED} suite=${c.suite} kid=${c.kid} ctr=${c.ctr} baseKey=${hexOf(c.baseKey)} ` +
    `metadata=${hexOf(c.metadata)} plaintext=${hexOf(c.plaintext)}`
  );
}

function errorText(error: unknown): string {
  if (error instanceof Error) return `${error.constructor.name}/${error.name}: ${error.message}`;
  return String(error);
}

function isSFrameError(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'SFrameError' || error.constructor.name === 'SFrameError')
  );
}

function firstDifference(a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return n;
}

async function attempt(fn: () => Promise<Uint8Array> | Uint8Array): Promise<Outcome> {
  try {
    return { ok: true, value: Buffer.from(await fn()) };
  } catch (error) {
    return { ok: false, error };
  }
}

async function productEncrypt(c: Case): Promise<Outcome> {
  return attempt(async () => {
    const ctx = new SFrameContext(c.suite);
    await ctx.setKey(c.kid, new Uint8Array(c.baseKey));
    return ctx.encrypt(c.kid, c.ctr, new Uint8Array(c.metadata), new Uint8Array(c.plaintext));
  });
}

async function productDecrypt(
  suite: number,
  kid: bigint,
  baseKey: Buffer,
  metadata: Buffer,
  frame: Buffer,
): Promise<Outcome> {
  return attempt(async () => {
    const ctx = new SFrameContext(suite);
    await ctx.setKey(kid, new Uint8Array(baseKey));
    return ctx.decrypt(new Uint8Array(metadata), new Uint8Array(frame));
  });
}

function referenceUnprotect(suite: number, baseKey: Buffer, metadata: Buffer, frame: Buffer) {
  return attempt(() => unprotect(suite, baseKey, metadata, frame));
}

function flipBit(data: Buffer, bit: number): Buffer {
  const copy = Buffer.from(data);
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

function makeCase(rng: SeededBytes, suite: number, kid: bigint, ctr: bigint, size: number): Case {
  const keySize = BASE_KEY_SIZES[rng.int(BASE_KEY_SIZES.length)] as number;
  const metadataSize = [0, 1, 3, 10, 32][rng.int(5)] as number;
  return {
    suite,
    kid,
    ctr,
    baseKey: rng.bytes(keySize),
    metadata: rng.bytes(metadataSize),
    plaintext: rng.bytes(size),
  };
}

/** Runs every check for one case and returns human-readable failures (empty when all agree). */
async function crossCheck(c: Case, rng: SeededBytes): Promise<string[]> {
  const failures: string[] = [];
  const where = describeCase(c);
  const nt = suiteParams(c.suite).nt;
  const headerLength = encodeHeader(c.kid, c.ctr).length;

  const reference = protect(c.suite, c.kid, c.ctr, c.baseKey, c.metadata, c.plaintext);
  const product = await productEncrypt(c);

  // 1. Byte-for-byte equality of the two encryptions.
  if (!product.ok) {
    failures.push(
      `product encrypt threw ${errorText(product.error)}; reference=${hexOf(reference)}; ${where}`,
    );
  } else if (!product.value.equals(reference)) {
    const at = firstDifference(product.value, reference);
    failures.push(
      `encrypt mismatch at byte ${at} (header is ${headerLength} B): ` +
        `product=${hexOf(product.value)} reference=${hexOf(reference)}; ${where}`,
    );
  }

  // 2. Reference frame decrypts with the product.
  const productOpen = await productDecrypt(c.suite, c.kid, c.baseKey, c.metadata, reference);
  if (!productOpen.ok) {
    failures.push(
      `product decrypt of reference frame threw ${errorText(productOpen.error)}; ${where}`,
    );
  } else if (!productOpen.value.equals(c.plaintext)) {
    failures.push(`product decrypt of reference frame gave ${hexOf(productOpen.value)}; ${where}`);
  }

  // 3. Product frame unprotects with the reference.
  if (product.ok) {
    const refOpen = await referenceUnprotect(c.suite, c.baseKey, c.metadata, product.value);
    if (!refOpen.ok) {
      failures.push(
        `reference unprotect of product frame threw ${errorText(refOpen.error)}; ${where}`,
      );
    } else if (!refOpen.value.equals(c.plaintext)) {
      failures.push(`reference unprotect of product frame gave ${hexOf(refOpen.value)}; ${where}`);
    }
  }

  // 4. One flipped bit, in each region of the frame and in the metadata, is refused by both.
  const frames: Array<[string, Buffer]> = [['reference', reference]];
  if (product.ok && !product.value.equals(reference)) frames.push(['product', product.value]);
  for (const [origin, frame] of frames) {
    const bodyLength = frame.length - headerLength - nt;
    const tampered: Array<[string, Buffer, Buffer]> = [
      ['header', flipBit(frame, rng.int(headerLength * 8)), c.metadata],
      ['tag', flipBit(frame, (frame.length - nt) * 8 + rng.int(nt * 8)), c.metadata],
    ];
    if (bodyLength > 0) {
      tampered.push([
        'ciphertext',
        flipBit(frame, headerLength * 8 + rng.int(bodyLength * 8)),
        c.metadata,
      ]);
    }
    if (c.metadata.length > 0) {
      tampered.push(['metadata', frame, flipBit(c.metadata, rng.int(c.metadata.length * 8))]);
    }
    for (const [region, badFrame, badMetadata] of tampered) {
      const label = `${origin} frame with a flipped ${region} bit`;
      const ref = await referenceUnprotect(c.suite, c.baseKey, badMetadata, badFrame);
      if (ref.ok) failures.push(`reference accepted ${label}: frame=${hexOf(badFrame)}; ${where}`);
      const prod = await productDecrypt(c.suite, c.kid, c.baseKey, badMetadata, badFrame);
      if (prod.ok) {
        failures.push(
          `product accepted ${label}: frame=${hexOf(badFrame)} metadata=${hexOf(badMetadata)} ` +
            `-> ${hexOf(prod.value)}; ${where}`,
        );
      } else if (!isSFrameError(prod.error)) {
        failures.push(
          `product refused ${label} with ${errorText(prod.error)}, not SFrameError; ${where}`,
        );
      }
    }
  }
  return failures;
}

describe.each(SUITE_IDS.map((id) => [id, suiteParams(id).name] as const))(
  'product SFrameContext vs reference, suite %i (%s)',
  (suite) => {
    it('agrees for every KID x CTR header boundary (payload sizes rotating)', async () => {
      const rng = new SeededBytes(`grid/${suite}`);
      const failures: string[] = [];
      let index = suite;
      for (const kid of BOUNDARY_VALUES) {
        for (const ctr of BOUNDARY_VALUES) {
          const size = PAYLOAD_SIZES[index++ % PAYLOAD_SIZES.length] as number;
          failures.push(...(await crossCheck(makeCase(rng, suite, kid, ctr, size), rng)));
        }
      }
      expect(failures).toEqual([]);
    });

    it('agrees for every payload size 0, 1, 15, 16, 17, 1000, 100000 and random KIDs/CTRs', async () => {
      const rng = new SeededBytes(`sizes/${suite}`);
      const failures: string[] = [];
      for (const size of PAYLOAD_SIZES) {
        const pairs: Array<[bigint, bigint]> = [
          [0n, 0n],
          [7n, 8n],
          [MAX_U64, MAX_U64],
          [rng.u64(), rng.u64()],
          [rng.u64(), rng.u64()],
        ];
        for (const [kid, ctr] of pairs) {
          failures.push(...(await crossCheck(makeCase(rng, suite, kid, ctr, size), rng)));
        }
      }
      expect(failures).toEqual([]);
    });

    it('both refuse truncated frames, wrong keys and the wrong suite', async () => {
      const rng = new SeededBytes(`refusals/${suite}`);
      const failures: string[] = [];
      const nt = suiteParams(suite).nt;
      for (const kid of [3n, 300n, MAX_U64]) {
        const c = makeCase(rng, suite, kid, 70000n, 17);
        const frame = protect(suite, c.kid, c.ctr, c.baseKey, c.metadata, c.plaintext);
        const headerLength = encodeHeader(c.kid, c.ctr).length;
        const bad: Array<[string, Buffer, Buffer, number]> = [
          ['empty frame', Buffer.alloc(0), c.baseKey, suite],
          ['header cut short', frame.subarray(0, headerLength - 1), c.baseKey, suite],
          ['header only', frame.subarray(0, headerLength), c.baseKey, suite],
          [
            'one byte less than the tag',
            frame.subarray(0, headerLength + nt - 1),
            c.baseKey,
            suite,
          ],
          ['last byte dropped', frame.subarray(0, frame.length - 1), c.baseKey, suite],
          ['extra byte appended', Buffer.concat([frame, Buffer.of(0)]), c.baseKey, suite],
          ['wrong base key', frame, flipBit(c.baseKey, rng.int(c.baseKey.length * 8)), suite],
          ['wrong suite', frame, c.baseKey, (suite % SUITE_IDS.length) + 1],
        ];
        for (const [label, badFrame, key, openSuite] of bad) {
          const where = `${label}: frame=${hexOf(badFrame)} openSuite=${openSuite}; ${describeCase(c)}`;
          const ref = await referenceUnprotect(openSuite, key, c.metadata, badFrame);
          if (ref.ok) failures.push(`reference accepted ${where}`);
          const prod = await productDecrypt(openSuite, c.kid, key, c.metadata, badFrame);
          if (prod.ok) failures.push(`product accepted ${where} -> ${hexOf(prod.value)}`);
          else if (!isSFrameError(prod.error)) {
            failures.push(
              `product refused with ${errorText(prod.error)}, not SFrameError: ${where}`,
            );
          }
        }
      }
      expect(failures).toEqual([]);
    });

    it('both refuse an authentic frame whose header is not minimally encoded', async () => {
      // RFC 9605 section 4.3: values 0-7 go in the config byte, larger values MUST use the minimum
      // number of bytes. The reference reads that as a decoding rule too; so must the product.
      const rng = new SeededBytes(`nonminimal/${suite}`);
      const baseKey = rng.bytes(16);
      const metadata = rng.bytes(3);
      const plaintext = rng.bytes(20);
      const failures: string[] = [];
      const cases: Array<[string, bigint, bigint]> = [
        ['8003', 3n, 0n], // KID 3 in an extended 1-byte field
        ['0805', 0n, 5n], // CTR 5 in an extended 1-byte field
        ['9000ff', 255n, 0n], // KID 255 in 2 bytes
        ['09000a', 0n, 10n], // CTR 10 in 2 bytes
        ['f8' + '00'.repeat(7) + 'ff' + '08', 255n, 8n], // KID 255 in 8 bytes
      ];
      for (const [headerHex, kid, ctr] of cases) {
        const header = Buffer.from(headerHex, 'hex');
        expect(() => decodeHeader(header)).toThrow(/non-minimal/);
        const { key, salt } = deriveKeyAndSalt(suite, kid, baseKey);
        const aad = Buffer.concat([header, metadata]);
        const frame = Buffer.concat([
          header,
          aeadSeal(suite, key, frameNonce(salt, ctr), aad, plaintext),
        ]);
        const prod = await productDecrypt(suite, kid, baseKey, metadata, frame);
        if (prod.ok) {
          failures.push(`product accepted non-minimal header ${headerHex}: frame=${hexOf(frame)}`);
        } else if (!isSFrameError(prod.error)) {
          failures.push(`product refused ${headerHex} with ${errorText(prod.error)}`);
        }
      }
      expect(failures).toEqual([]);
    });

    it('handles Uint8Array views with a non-zero byteOffset and leaves its inputs untouched', async () => {
      const rng = new SeededBytes(`views/${suite}`);
      const c = makeCase(rng, suite, 0x1234n, 0x56789an, 1000);
      // Every input lives inside one larger ArrayBuffer, surrounded by other bytes.
      const arena = new Uint8Array(rng.bytes(4096));
      const place = (data: Buffer, at: number) => {
        arena.set(data, at);
        return arena.subarray(at, at + data.length);
      };
      const baseKey = place(c.baseKey, 7);
      const metadata = place(c.metadata, 101);
      const plaintext = place(c.plaintext, 203);
      const before = Buffer.from(arena);
      const expected = protect(suite, c.kid, c.ctr, c.baseKey, c.metadata, c.plaintext);

      const sender = new SFrameContext(suite);
      await sender.setKey(c.kid, baseKey);
      const encrypted = Buffer.from(await sender.encrypt(c.kid, c.ctr, metadata, plaintext));
      expect(Buffer.from(arena).equals(before)).toBe(true);
      expect(encrypted.toString('hex')).toBe(expected.toString('hex'));

      const frame = place(expected, 1400);
      const snapshot = Buffer.from(arena);
      const receiver = new SFrameContext(suite);
      await receiver.setKey(c.kid, baseKey);
      const decrypted = Buffer.from(await receiver.decrypt(metadata, frame));
      expect(Buffer.from(arena).equals(snapshot)).toBe(true);
      expect(decrypted.toString('hex')).toBe(c.plaintext.toString('hex'));
    });

    it('one long-lived receiving context decrypts interleaved reference streams for many KIDs', async () => {
      const rng = new SeededBytes(`stream/${suite}`);
      const kids = [0n, 7n, 8n, 255n, 65536n, MAX_U64];
      const keys = new Map(kids.map((kid) => [kid, rng.bytes(32)] as const));
      const receiver = new SFrameContext(suite);
      for (const [kid, key] of keys) await receiver.setKey(kid, new Uint8Array(key));
      const failures: string[] = [];
      for (let ctr = 0n; ctr < 20n; ctr++) {
        for (const kid of kids) {
          const metadata = rng.bytes(rng.int(4));
          const plaintext = rng.bytes(rng.int(300));
          const key = keys.get(kid) as Buffer;
          const frame = protect(suite, kid, ctr, key, metadata, plaintext);
          const out = await attempt(() =>
            receiver.decrypt(new Uint8Array(metadata), new Uint8Array(frame)),
          );
          if (!out.ok || !out.value.equals(plaintext)) {
            failures.push(
              `seed=${SEED} suite=${suite} kid=${kid} ctr=${ctr}: ` +
                (out.ok ? `got ${hexOf(out.value)}` : `threw ${errorText(out.error)}`),
            );
          }
        }
      }
      // After removeKey, that KID is refused while the others still decrypt.
      receiver.removeKey(255n);
      const removed = protect(
        suite,
        255n,
        20n,
        keys.get(255n) as Buffer,
        Buffer.alloc(0),
        Buffer.of(1),
      );
      const afterRemove = await attempt(() =>
        receiver.decrypt(new Uint8Array(0), new Uint8Array(removed)),
      );
      if (afterRemove.ok)
        failures.push(`product decrypted kid=255 after removeKey (suite ${suite})`);
      const kept = protect(suite, 8n, 20n, keys.get(8n) as Buffer, Buffer.alloc(0), Buffer.of(2));
      const afterKept = await attempt(() =>
        receiver.decrypt(new Uint8Array(0), new Uint8Array(kept)),
      );
      if (!afterKept.ok || !afterKept.value.equals(Buffer.of(2))) {
        failures.push(`product failed kid=8 after removing kid=255 (suite ${suite})`);
      }
      expect(failures).toEqual([]);
    });
  },
);

/**
 * A Parley call's media frames (docs/protocol.md, "Media keys") against the reference: suite
 * 0x0004, the caller's epoch-0 KID, the codec's clear prefix as metadata, and ONE counter per
 * KID shared by the sender's audio and video. The prefix split is written here from the doc.
 */
describe('a Parley call: clear prefix, one counter per KID across tracks', () => {
  const suite = AES_128_GCM_SHA256_128;
  const callerKid = 0n; // slot 0, epoch 0

  /** The doc's clear prefix: Opus 1 byte; VP8 10 on key frames (P bit 0), 3 on delta frames. */
  function docPrefixLength(codec: 'opus' | 'vp8', frame: Buffer): number {
    if (codec === 'opus') return 1;
    return ((frame[0] as number) & 0x01) === 0 ? 10 : 3;
  }

  /** Interleaved audio and video frames as an encoder makes them (at least as long as the prefix). */
  function mediaFrames(rng: SeededBytes): Array<{ codec: 'opus' | 'vp8'; frame: Buffer }> {
    return Array.from({ length: 40 }, (_, i) => {
      if (i % 4 !== 3)
        return { codec: 'opus', frame: Buffer.concat([Buffer.of(0x78), rng.bytes(rng.int(120))]) };
      const key = i % 8 === 3;
      const head = key ? Buffer.from('5042009d012a8002e001', 'hex') : Buffer.from('310a00', 'hex');
      return { codec: 'vp8', frame: Buffer.concat([head, rng.bytes(rng.int(900))]) };
    });
  }

  it('the product sender numbers audio and video frames with one counter, and the reference opens them all', async () => {
    const rng = new SeededBytes('call/send');
    const baseKey = rng.bytes(32);
    const sender = new FrameCryptor();
    await sender.setSendKey(callerKid, new Uint8Array(baseKey));
    const failures: string[] = [];
    const counters: bigint[] = [];
    for (const { codec, frame } of mediaFrames(rng)) {
      const wire = Buffer.from(await sender.encrypt(codec, new Uint8Array(frame)));
      const prefixLength = docPrefixLength(codec, wire);
      const prefix = wire.subarray(0, prefixLength);
      const sframe = wire.subarray(prefixLength);
      const { kid, ctr } = decodeHeader(sframe);
      counters.push(ctr);
      const opened = await referenceUnprotect(suite, baseKey, prefix, sframe);
      const whole = opened.ok ? Buffer.concat([prefix, opened.value]) : null;
      if (kid !== callerKid || !whole?.equals(frame)) {
        failures.push(
          `seed=${SEED} ${codec} frame ctr=${ctr} kid=${kid}: ${opened.ok ? 'differs' : errorText(opened.error)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    expect(counters).toEqual(counters.map((_, i) => BigInt(i)));
  });

  it('the product receiver opens a reference sender that shares its counter across tracks, and drops a second counter as replays', async () => {
    const rng = new SeededBytes('call/receive');
    const baseKey = rng.bytes(32);
    const receiver = new FrameCryptor();
    await receiver.setReceiveKey(callerKid, new Uint8Array(baseKey));
    const failures: string[] = [];
    let ctr = 0n;
    for (const { codec, frame } of mediaFrames(rng)) {
      const prefixLength = docPrefixLength(codec, frame);
      const prefix = frame.subarray(0, prefixLength);
      const sframe = protect(
        suite,
        callerKid,
        ctr++,
        baseKey,
        prefix,
        frame.subarray(prefixLength),
      );
      const out = await attempt(() =>
        receiver.decrypt(codec, new Uint8Array(Buffer.concat([prefix, sframe]))),
      );
      if (!out.ok || !out.value.equals(frame)) {
        failures.push(
          `seed=${SEED} ${codec} ctr=${ctr - 1n}: ${out.ok ? 'differs' : errorText(out.error)}`,
        );
      }
    }
    expect(failures).toEqual([]);
    // A sender that restarts at 0 for its video under the same KID: every such frame is a replay.
    const video = Buffer.concat([Buffer.from('310a00', 'hex'), rng.bytes(200)]);
    const prefix = video.subarray(0, 3);
    const replayed = protect(suite, callerKid, 5n, baseKey, prefix, video.subarray(3));
    const out = await attempt(() =>
      receiver.decrypt('vp8', new Uint8Array(Buffer.concat([prefix, replayed]))),
    );
    expect(out.ok ? 'accepted' : (out.error as { code?: string }).code).toBe('replay');
  });
});
