import { getCipherSuite } from '../../../renderer/e2ee/cipherSuites';
import { hkdfExpand, hkdfExtract } from '../../../renderer/e2ee/hkdf';
import { encodeHeader } from '../../../renderer/e2ee/sframeHeader';
import {
  deriveKeyMaterial,
  frameAad,
  frameNonce,
  sframeKeyLabel,
  sframeSaltLabel,
} from '../../../renderer/e2ee/sframeKeys';
import { hex, loadVectors, unhex } from './vectors';

const vectors = loadVectors();

describe('HKDF (RFC 5869)', () => {
  it('matches RFC 5869 test case 1 (SHA-256)', async () => {
    const ikm = unhex('0b'.repeat(22));
    const prk = await hkdfExtract('SHA-256', unhex('000102030405060708090a0b0c'), ikm);
    expect(hex(prk)).toBe('077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5');
    const okm = await hkdfExpand('SHA-256', prk, unhex('f0f1f2f3f4f5f6f7f8f9'), 42);
    expect(hex(okm)).toBe(
      '3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865',
    );
  });

  it('matches RFC 5869 test case 3 (empty salt and info)', async () => {
    const prk = await hkdfExtract('SHA-256', new Uint8Array(), unhex('0b'.repeat(22)));
    expect(hex(prk)).toBe('19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04');
    const okm = await hkdfExpand('SHA-256', prk, new Uint8Array(), 42);
    expect(hex(okm)).toBe(
      '8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8',
    );
  });
});

describe('SFrame key schedule (RFC 9605 4.4.2-4.4.3), official vectors', () => {
  expect(vectors.sframe).toHaveLength(5);

  describe.each(vectors.sframe.map((v) => [v.cipher_suite, v] as const))('suite %i', (_id, v) => {
    const suite = getCipherSuite(v.cipher_suite);

    it('builds the key and salt labels', () => {
      expect(hex(sframeKeyLabel(v.kid, suite))).toBe(v.sframe_key_label);
      expect(hex(sframeSaltLabel(v.kid, suite))).toBe(v.sframe_salt_label);
    });

    it('derives sframe_secret, sframe_key and sframe_salt', async () => {
      const material = await deriveKeyMaterial(suite, v.kid, unhex(v.base_key));
      expect(hex(material.secret)).toBe(v.sframe_secret);
      expect(hex(material.key)).toBe(v.sframe_key);
      expect(hex(material.salt)).toBe(v.sframe_salt);
    });

    it('forms the nonce and the AAD', () => {
      expect(hex(frameNonce(unhex(v.sframe_salt), v.ctr))).toBe(v.nonce);
      expect(hex(frameAad(encodeHeader(v.kid, v.ctr), unhex(v.metadata)))).toBe(v.aad);
    });
  });

  it('XORs a 64-bit counter into the low bytes of the salt', () => {
    const salt = unhex('ffffffffffffffffffffffff');
    expect(hex(frameNonce(salt, (1n << 64n) - 1n))).toBe('ffffffff0000000000000000');
    expect(hex(frameNonce(salt, 0n))).toBe('ffffffffffffffffffffffff');
  });
});
