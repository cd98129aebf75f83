/**
 * The five cipher suites of RFC 9605 section 4.5 and their AEADs. Each AEAD is imported once
 * from an sframe_key into non-extractable CryptoKeys, then used for every frame.
 */
import type { Aead } from './aead';
import { importAesCtrHmac } from './aesCtrHmac';
import { importAesGcm } from './aesGcm';
import type { HashName } from './hkdf';
import { SFrameError } from './SFrameError';

export const AES_128_CTR_HMAC_SHA256_80 = 0x0001;
export const AES_128_CTR_HMAC_SHA256_64 = 0x0002;
export const AES_128_CTR_HMAC_SHA256_32 = 0x0003;
export const AES_128_GCM_SHA256_128 = 0x0004;
export const AES_256_GCM_SHA512_128 = 0x0005;

export interface CipherSuite {
  readonly id: number;
  readonly name: string;
  /** The hash for HKDF (and HMAC in the AES-CTR suites). */
  readonly hash: HashName;
  readonly aead: 'aes-ctr-hmac' | 'aes-gcm';
  /** Hash.Nh: hash output size in bytes. */
  readonly nh: number;
  /** AEAD.Nka: AES key size inside the compound AES-CTR+HMAC key (0 for GCM). */
  readonly nka: number;
  /** AEAD.Nk: key size in bytes. */
  readonly nk: number;
  /** AEAD.Nn: nonce size in bytes. */
  readonly nn: number;
  /** AEAD.Nt: tag size in bytes. */
  readonly nt: number;
}

function ctrSuite(id: number, bits: number): CipherSuite {
  const name = `AES_128_CTR_HMAC_SHA256_${bits}`;
  return {
    id,
    name,
    hash: 'SHA-256',
    aead: 'aes-ctr-hmac',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: bits / 8,
  };
}

/** RFC 9605 Table 1. */
export const CIPHER_SUITES: ReadonlyMap<number, CipherSuite> = new Map(
  [
    ctrSuite(AES_128_CTR_HMAC_SHA256_80, 80),
    ctrSuite(AES_128_CTR_HMAC_SHA256_64, 64),
    ctrSuite(AES_128_CTR_HMAC_SHA256_32, 32),
    {
      id: AES_128_GCM_SHA256_128,
      name: 'AES_128_GCM_SHA256_128',
      hash: 'SHA-256',
      aead: 'aes-gcm',
      nh: 32,
      nka: 0,
      nk: 16,
      nn: 12,
      nt: 16,
    } as const,
    {
      id: AES_256_GCM_SHA512_128,
      name: 'AES_256_GCM_SHA512_128',
      hash: 'SHA-512',
      aead: 'aes-gcm',
      nh: 64,
      nka: 0,
      nk: 32,
      nn: 12,
      nt: 16,
    } as const,
  ].map((suite) => [suite.id, Object.freeze(suite)]),
);

export function getCipherSuite(id: number): CipherSuite {
  const suite = CIPHER_SUITES.get(id);
  if (!suite) {
    throw new SFrameError('unsupported_suite', `unsupported SFrame cipher suite ${String(id)}`);
  }
  return suite;
}

/** Imports the AEAD of `suite` keyed with an Nk-byte sframe_key. */
export async function importAead(suite: CipherSuite, key: Uint8Array): Promise<Aead> {
  if (key.length !== suite.nk) throw new RangeError(`${suite.name} key must be ${suite.nk} bytes`);
  return suite.aead === 'aes-gcm' ? importAesGcm(suite, key) : importAesCtrHmac(suite, key);
}
