/**
 * The independent reference SFrame implementation against every official RFC 9605 vector
 * (../shared/testdata/sframe/rfc9605-test-vectors.json: header, aes_ctr_hmac and sframe).
 */
import { hkdfSync } from 'node:crypto';
import {
  MAX_U64,
  ReferenceSFrameError,
  SUITE_IDS,
  aeadOpen,
  aeadSeal,
  decodeHeader,
  derivationLabel,
  deriveKeyAndSalt,
  deriveSubkeys,
  encodeHeader,
  frameNonce,
  hkdfExtract,
  protect,
  suiteParams,
  unprotect,
} from './referenceSFrame';
import { VECTOR_FILE, VECTOR_SHA256, VECTOR_SIZE, loadVectors, sha256Hex } from './vectors';

const vectors = loadVectors();

function flipBit(data: Buffer, bit: number): Buffer {
  const copy = Buffer.from(data);
  copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

describe('official vector file', () => {
  it('is the byte-for-byte copy described in the README', () => {
    expect(vectors.raw.length).toBe(VECTOR_SIZE);
    expect(sha256Hex(vectors.raw)).toBe(VECTOR_SHA256);
  });

  it('has every section, with kid/ctr read as exact BigInts', () => {
    expect(vectors.header).toHaveLength(289);
    expect(vectors.aes_ctr_hmac.map((v) => v.cipher_suite)).toEqual([1, 2, 3]);
    expect(vectors.sframe.map((v) => v.cipher_suite)).toEqual([1, 2, 3, 4, 5]);
    // Values above 2^53 survive unrounded (a plain JSON.parse would turn them into doubles).
    expect(vectors.header.some((v) => v.kid === MAX_U64 && v.ctr === MAX_U64)).toBe(true);
    expect(vectors.header.some((v) => v.ctr === (1n << 56n) - 1n)).toBe(true);
    expect(VECTOR_FILE).toMatch(/shared[/\\]testdata[/\\]sframe[/\\]rfc9605-test-vectors\.json$/);
  });
});

describe('header vectors (RFC 9605 section 4.3)', () => {
  it.each(vectors.header.map((v) => [v.kid, v.ctr, v.encoded.toString('hex')] as const))(
    'kid=%s ctr=%s <-> %s',
    (kid, ctr, encodedHex) => {
      const encoded = Buffer.from(encodedHex, 'hex');
      expect(encodeHeader(kid, ctr).toString('hex')).toBe(encodedHex);
      expect(decodeHeader(encoded)).toEqual({ kid, ctr, length: encoded.length });
      // Bytes after the header are payload and do not change the parse.
      const withPayload = Buffer.concat([encoded, Buffer.from('ffeeddccbbaa99', 'hex')]);
      expect(decodeHeader(withPayload)).toEqual({ kid, ctr, length: encoded.length });
    },
  );

  it('refuses an empty buffer and every truncation of a multi-byte header', () => {
    expect(() => decodeHeader(Buffer.alloc(0))).toThrow(ReferenceSFrameError);
    for (const v of vectors.header) {
      for (let cut = 1; cut < v.encoded.length; cut++) {
        expect(() => decodeHeader(v.encoded.subarray(0, cut))).toThrow(ReferenceSFrameError);
      }
    }
  });

  it('refuses non-minimal extended fields', () => {
    expect(() => decodeHeader(Buffer.from('0807', 'hex'))).toThrow(/non-minimal/); // CTR 7 extended
    expect(() => decodeHeader(Buffer.from('8000', 'hex'))).toThrow(/non-minimal/); // KID 0 extended
    expect(() => decodeHeader(Buffer.from('09000a', 'hex'))).toThrow(/non-minimal/); // leading 00
    expect(() => decodeHeader(Buffer.from('f800000000000000ff08', 'hex'))).toThrow(/non-minimal/);
  });

  it('refuses KID/CTR outside [0, 2^64-1] when encoding', () => {
    expect(() => encodeHeader(-1n, 0n)).toThrow(RangeError);
    expect(() => encodeHeader(0n, MAX_U64 + 1n)).toThrow(RangeError);
  });
});

describe('aes_ctr_hmac vectors (RFC 9605 section 4.5.1)', () => {
  it.each(vectors.aes_ctr_hmac.map((v) => [v.cipher_suite, v] as const))('suite %i', (suite, v) => {
    const { encKey, authKey } = deriveSubkeys(suite, v.key);
    expect(encKey.toString('hex')).toBe(v.enc_key.toString('hex'));
    expect(authKey.toString('hex')).toBe(v.auth_key.toString('hex'));
    expect(aeadSeal(suite, v.key, v.nonce, v.aad, v.pt).toString('hex')).toBe(v.ct.toString('hex'));
    expect(aeadOpen(suite, v.key, v.nonce, v.aad, v.ct).toString('hex')).toBe(v.pt.toString('hex'));
    expect(v.ct.length - v.pt.length).toBe(suiteParams(suite).nt);
    for (let bit = 0; bit < v.ct.length * 8; bit++) {
      expect(() => aeadOpen(suite, v.key, v.nonce, v.aad, flipBit(v.ct, bit))).toThrow(
        ReferenceSFrameError,
      );
    }
    for (let bit = 0; bit < v.aad.length * 8; bit += 7) {
      expect(() => aeadOpen(suite, v.key, v.nonce, flipBit(v.aad, bit), v.ct)).toThrow(
        ReferenceSFrameError,
      );
    }
    expect(() => aeadOpen(suite, v.key, v.nonce, v.aad, v.ct.subarray(0, 3))).toThrow(
      ReferenceSFrameError,
    );
  });
});

describe('sframe vectors (RFC 9605 sections 4.4.2-4.4.4)', () => {
  it.each(vectors.sframe.map((v) => [v.cipher_suite, v] as const))('suite %i', (suite, v) => {
    const p = suiteParams(suite);
    expect(derivationLabel('key', suite, v.kid).toString('hex')).toBe(
      v.sframe_key_label.toString('hex'),
    );
    expect(derivationLabel('salt', suite, v.kid).toString('hex')).toBe(
      v.sframe_salt_label.toString('hex'),
    );
    const derived = deriveKeyAndSalt(suite, v.kid, v.base_key);
    expect(derived.secret.toString('hex')).toBe(v.sframe_secret.toString('hex'));
    expect(derived.key.toString('hex')).toBe(v.sframe_key.toString('hex'));
    expect(derived.salt.toString('hex')).toBe(v.sframe_salt.toString('hex'));
    expect(frameNonce(derived.salt, v.ctr).toString('hex')).toBe(v.nonce.toString('hex'));

    const header = encodeHeader(v.kid, v.ctr);
    expect(Buffer.concat([header, v.metadata]).toString('hex')).toBe(v.aad.toString('hex'));

    const frame = protect(suite, v.kid, v.ctr, v.base_key, v.metadata, v.pt);
    expect(frame.toString('hex')).toBe(v.ct.toString('hex'));
    expect(frame.length).toBe(header.length + v.pt.length + p.nt);
    expect(unprotect(suite, v.base_key, v.metadata, v.ct).toString('hex')).toBe(
      v.pt.toString('hex'),
    );
    expect(decodeHeader(v.ct)).toEqual({ kid: v.kid, ctr: v.ctr, length: header.length });

    // Any single flipped bit of the frame or the metadata is refused.
    for (let bit = 0; bit < v.ct.length * 8; bit++) {
      expect(() => unprotect(suite, v.base_key, v.metadata, flipBit(v.ct, bit))).toThrow(
        ReferenceSFrameError,
      );
    }
    for (let bit = 0; bit < v.metadata.length * 8; bit++) {
      expect(() => unprotect(suite, v.base_key, flipBit(v.metadata, bit), v.ct)).toThrow(
        ReferenceSFrameError,
      );
    }
    // Wrong base key, wrong suite, truncated frame.
    expect(() => unprotect(suite, flipBit(v.base_key, 0), v.metadata, v.ct)).toThrow(
      ReferenceSFrameError,
    );
    const otherSuite = SUITE_IDS.find((s) => s !== suite) as number;
    expect(() => unprotect(otherSuite, v.base_key, v.metadata, v.ct)).toThrow(ReferenceSFrameError);
    expect(() =>
      unprotect(suite, v.base_key, v.metadata, v.ct.subarray(0, v.ct.length - 1)),
    ).toThrow(ReferenceSFrameError);
  });

  it.each(vectors.sframe.map((v) => [v.cipher_suite, v] as const))(
    'suite %i: hand-built HKDF agrees with node:crypto hkdfSync',
    (suite, v) => {
      const p = suiteParams(suite);
      const key = Buffer.from(
        hkdfSync(p.hash, v.base_key, Buffer.alloc(0), derivationLabel('key', suite, v.kid), p.nk),
      );
      const salt = Buffer.from(
        hkdfSync(p.hash, v.base_key, Buffer.alloc(0), derivationLabel('salt', suite, v.kid), p.nn),
      );
      expect(key.toString('hex')).toBe(v.sframe_key.toString('hex'));
      expect(salt.toString('hex')).toBe(v.sframe_salt.toString('hex'));
      // HKDF-Extract with an empty salt equals the RFC 5869 default of Nh zero bytes.
      expect(hkdfExtract(p.hash, Buffer.alloc(p.nh), v.base_key).toString('hex')).toBe(
        v.sframe_secret.toString('hex'),
      );
    },
  );
});
