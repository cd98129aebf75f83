import {
  MAX_GENERATION,
  kidFor,
  parseKid,
  ratchetBaseKey,
} from '../../../renderer/e2ee/callKeyIds';
import { decodeHeader, encodeHeader } from '../../../renderer/e2ee/sframeHeader';
import { hex } from './vectors';

describe('call KIDs: generation * 2^32 + slot * 2^16 + epoch', () => {
  test('a 1:1 call keeps its KIDs and header bytes: generation 0, caller slot 0, callee slot 1', () => {
    // The values and header bytes 1:1 calls have always sent (KID = slot * 65536 + epoch).
    const oneToOne: [slot: number, epoch: number, kid: bigint, header: string][] = [
      [0, 0, 0n, '00'],
      [0, 7, 7n, '70'],
      [0, 8, 8n, '8008'],
      [0, 0xffff, 0xffffn, '90ffff'],
      [1, 0, 0x10000n, 'a0010000'],
      [1, 3, 0x10003n, 'a0010003'],
      [1, 0xffff, 0x1ffffn, 'a001ffff'],
    ];
    for (const [slot, epoch, kid, header] of oneToOne) {
      expect(kidFor(slot, epoch)).toBe(kid);
      expect(kidFor(slot, epoch, 0)).toBe(kid);
      expect(hex(encodeHeader(kidFor(slot, epoch), 0n))).toBe(header);
      expect(parseKid(kid)).toEqual({ generation: 0, slot, epoch });
    }
  });

  test('generation, slot and epoch take bits 47..32, 31..16 and 15..0', () => {
    expect(kidFor(2, 3, 1)).toBe(0x1_0002_0003n);
    expect(hex(encodeHeader(kidFor(2, 3, 1), 0n))).toBe('c00100020003');
    expect(parseKid(0x1_0002_0003n)).toEqual({ generation: 1, slot: 2, epoch: 3 });
    expect(kidFor(0xffff, 0, 0)).toBe(0xffff_0000n);
    expect(kidFor(0, 0, 0xffff)).toBe(0xffff_0000_0000n);
  });

  test('the largest KID, 2^48 - 1, is six header bytes and decodes back exactly', () => {
    const largest = kidFor(0xffff, 0xffff, MAX_GENERATION);
    expect(largest).toBe((1n << 48n) - 1n);
    const header = encodeHeader(largest, 0x1234n);
    expect(hex(header)).toBe('d9ffffffffffff1234');
    expect(decodeHeader(header)).toEqual({ kid: largest, ctr: 0x1234n, length: 9 });
    expect(parseKid(largest)).toEqual({ generation: 0xffff, slot: 0xffff, epoch: 0xffff });
  });

  test('a KID above 2^48 - 1 names no slot', () => {
    expect(parseKid(1n << 48n)).toBeNull();
    expect(parseKid((1n << 64n) - 1n)).toBeNull();
    expect(parseKid(-1n)).toBeNull();
  });

  test('each part outside its range is refused', () => {
    for (const [slot, epoch, generation] of [
      [0x10000, 0, 0],
      [-1, 0, 0],
      [0, 0x10000, 0],
      [0, 1.5, 0],
      [0, 0, MAX_GENERATION + 1],
      [0, 0, -1],
    ]) {
      expect(() => kidFor(slot as number, epoch as number, generation)).toThrow(RangeError);
    }
  });

  test('every (generation, slot, epoch) names its own KID and parses back', () => {
    const seen = new Set<bigint>();
    for (const generation of [0, 1, 2, 0xffff])
      for (const slot of [0, 1, 2, 15, 0xffff])
        for (const epoch of [0, 1, 0xfffe, 0xffff]) {
          const kid = kidFor(slot, epoch, generation);
          expect(seen.has(kid)).toBe(false);
          seen.add(kid);
          expect(parseKid(kid)).toEqual({ generation, slot, epoch });
        }
  });

  test('the ratchet is the 1:1 HKDF step, unchanged', async () => {
    const base = Uint8Array.from({ length: 32 }, (_, i) => i);
    // HKDF-SHA256(ikm = base, salt = empty, info = "parley-sframe-ratchet-v1", 32), by node:crypto.
    const { hkdfSync } = await import('node:crypto');
    const expected = new Uint8Array(
      hkdfSync('sha256', base, new Uint8Array(0), 'parley-sframe-ratchet-v1', 32),
    );
    expect(await ratchetBaseKey(base)).toEqual(expected);
  });
});
