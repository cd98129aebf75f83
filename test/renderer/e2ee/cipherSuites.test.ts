import { deriveSubkeys } from '../../../renderer/e2ee/aesCtrHmac';
import {
  CIPHER_SUITES,
  getCipherSuite,
  importAead,
  type CipherSuite,
} from '../../../renderer/e2ee/cipherSuites';
import { flipBit, rejectionCode as rejection } from './helpers';
import { hex, loadVectors, unhex } from './vectors';

const vectors = loadVectors();

describe('cipher suites (RFC 9605 4.5, Table 1)', () => {
  it('has the five suites with their constants', () => {
    const table = [...CIPHER_SUITES.values()].map((s) => [
      s.id,
      s.name,
      s.nh,
      s.nka,
      s.nk,
      s.nn,
      s.nt,
    ]);
    expect(table).toEqual([
      [1, 'AES_128_CTR_HMAC_SHA256_80', 32, 16, 48, 12, 10],
      [2, 'AES_128_CTR_HMAC_SHA256_64', 32, 16, 48, 12, 8],
      [3, 'AES_128_CTR_HMAC_SHA256_32', 32, 16, 48, 12, 4],
      [4, 'AES_128_GCM_SHA256_128', 32, 0, 16, 12, 16],
      [5, 'AES_256_GCM_SHA512_128', 64, 0, 32, 12, 16],
    ]);
    expect(getCipherSuite(5).hash).toBe('SHA-512');
  });

  it('refuses unknown suites', () => {
    for (const id of [0, 6, 0xf000, -1, 1.5, Number.NaN]) {
      expect(() => getCipherSuite(id)).toThrow(
        expect.objectContaining({ code: 'unsupported_suite' }),
      );
    }
  });
});

describe('AES-CTR + HMAC (RFC 9605 4.5.1), official vectors', () => {
  expect(vectors.aes_ctr_hmac).toHaveLength(3);

  describe.each(vectors.aes_ctr_hmac.map((v) => [v.cipher_suite, v] as const))(
    'suite %i',
    (_id, v) => {
      const suite = getCipherSuite(v.cipher_suite);

      it('splits the key into enc_key and auth_key', () => {
        const { encKey, authKey } = deriveSubkeys(suite, unhex(v.key));
        expect(hex(encKey)).toBe(v.enc_key);
        expect(hex(authKey)).toBe(v.auth_key);
      });

      it('encrypts pt to ct and decrypts ct to pt', async () => {
        const aead = await importAead(suite, unhex(v.key));
        expect(hex(await aead.encrypt(unhex(v.nonce), unhex(v.aad), unhex(v.pt)))).toBe(v.ct);
        expect(hex(await aead.decrypt(unhex(v.nonce), unhex(v.aad), unhex(v.ct)))).toBe(v.pt);
      });

      it('refuses any flipped bit in ct, aad or nonce, and any truncation', async () => {
        const aead = await importAead(suite, unhex(v.key));
        const ct = unhex(v.ct);
        for (let bit = 0; bit < ct.length * 8; bit++) {
          const bad = flipBit(ct, bit);
          expect(await rejection(aead.decrypt(unhex(v.nonce), unhex(v.aad), bad))).toBe(
            'auth_failed',
          );
        }
        const aad = flipBit(unhex(v.aad), 0);
        expect(await rejection(aead.decrypt(unhex(v.nonce), aad, ct))).toBe('auth_failed');
        const nonce = flipBit(unhex(v.nonce), 95);
        expect(await rejection(aead.decrypt(nonce, unhex(v.aad), ct))).toBe('auth_failed');
        for (let length = 0; length < ct.length; length++) {
          const code = await rejection(
            aead.decrypt(unhex(v.nonce), unhex(v.aad), ct.subarray(0, length)),
          );
          expect(code).toBe(length < suite.nt ? 'truncated' : 'auth_failed');
        }
      });
    },
  );
});

describe.each([...CIPHER_SUITES.values()].map((s) => [s.name, s] as const))(
  '%s AEAD',
  (_name, suite: CipherSuite) => {
    it('round-trips and appends an Nt-byte tag', async () => {
      const key = crypto.getRandomValues(new Uint8Array(suite.nk));
      const nonce = crypto.getRandomValues(new Uint8Array(suite.nn));
      const aead = await importAead(suite, key);
      for (const size of [0, 1, 17, 4096]) {
        const pt = crypto.getRandomValues(new Uint8Array(size));
        const ct = await aead.encrypt(nonce, Uint8Array.of(1, 2), pt);
        expect(ct.length).toBe(size + suite.nt);
        expect(hex(await aead.decrypt(nonce, Uint8Array.of(1, 2), ct))).toBe(hex(pt));
      }
    });

    it('refuses a key of the wrong length and a nonce of the wrong length', async () => {
      await expect(importAead(suite, new Uint8Array(suite.nk + 1))).rejects.toThrow(RangeError);
      const aead = await importAead(suite, new Uint8Array(suite.nk));
      await expect(
        aead.encrypt(new Uint8Array(8), new Uint8Array(), new Uint8Array()),
      ).rejects.toThrow(RangeError);
    });
  },
);
