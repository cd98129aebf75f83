import { MAX_U64 } from '../../../renderer/e2ee/bytes';
import { SFrameError } from '../../../renderer/e2ee/SFrameError';
import { decodeHeader, encodeHeader } from '../../../renderer/e2ee/sframeHeader';
import { hex, loadVectors, unhex } from './vectors';

const vectors = loadVectors();

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SFrameError) return error.code;
    throw error;
  }
  return undefined;
}

describe('SFrame header (RFC 9605 4.3)', () => {
  it('has all 289 official header vectors, kid and ctr read exactly', () => {
    expect(vectors.header).toHaveLength(289);
    expect(vectors.header.at(-1)).toEqual({
      kid: MAX_U64,
      ctr: MAX_U64,
      encoded: 'ff'.repeat(17),
    });
  });

  it.each(vectors.header.map((v) => [v.encoded, v] as const))('encodes %s', (_name, v) => {
    expect(hex(encodeHeader(v.kid, v.ctr))).toBe(v.encoded);
  });

  it.each(vectors.header.map((v) => [v.encoded, v] as const))('decodes %s', (_name, v) => {
    const bytes = unhex(v.encoded);
    expect(decodeHeader(bytes)).toEqual({ kid: v.kid, ctr: v.ctr, length: bytes.length });
    // What follows the header is left alone.
    const withPayload = new Uint8Array([...bytes, 0xaa, 0xbb]);
    expect(decodeHeader(withPayload)).toEqual({ kid: v.kid, ctr: v.ctr, length: bytes.length });
  });

  it('refuses every truncation of every vector', () => {
    for (const v of vectors.header) {
      const bytes = unhex(v.encoded);
      for (let length = 0; length < bytes.length; length++) {
        expect(errorCode(() => decodeHeader(bytes.subarray(0, length)))).toBe('truncated');
      }
    }
  });

  it('refuses non-minimal encodings as malformed', () => {
    // KID 5 in an extended one-byte field, CTR 7 likewise.
    expect(errorCode(() => decodeHeader(Uint8Array.of(0x80, 0x05)))).toBe('malformed_header');
    expect(errorCode(() => decodeHeader(Uint8Array.of(0x08, 0x07)))).toBe('malformed_header');
    // KID 0x10 with a leading zero byte; CTR 0xff as two bytes.
    expect(errorCode(() => decodeHeader(Uint8Array.of(0x90, 0x00, 0x10)))).toBe('malformed_header');
    expect(errorCode(() => decodeHeader(Uint8Array.of(0x09, 0x00, 0xff)))).toBe('malformed_header');
    expect(errorCode(() => decodeHeader(Uint8Array.of(0x80, 0x00)))).toBe('malformed_header');
  });

  it('decodes every config byte and re-encodes it byte for byte', () => {
    for (let config = 0; config < 256; config++) {
      const data = new Uint8Array(17).fill(0x42);
      data[0] = config;
      const header = decodeHeader(data);
      expect(hex(encodeHeader(header.kid, header.ctr))).toBe(hex(data.subarray(0, header.length)));
    }
  });

  it('refuses KID and CTR outside 0..2^64-1', () => {
    for (const bad of [-1n, MAX_U64 + 1n]) {
      expect(errorCode(() => encodeHeader(bad, 0n))).toBe('invalid_argument');
      expect(errorCode(() => encodeHeader(0n, bad))).toBe('invalid_argument');
    }
    expect(errorCode(() => encodeHeader(1 as unknown as bigint, 0n))).toBe('invalid_argument');
  });
});
