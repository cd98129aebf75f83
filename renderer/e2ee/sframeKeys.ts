/**
 * The SFrame key schedule (RFC 9605 sections 4.4.2 and 4.4.3): sframe_key and sframe_salt
 * from a base key and KID, and the per-frame nonce and AAD.
 */
import { type Bytes, concatBytes, uintToBytes } from './bytes';
import type { CipherSuite } from './cipherSuites';
import { hkdfExpand, hkdfExtract } from './hkdf';

const encoder = new TextEncoder();
const KEY_LABEL = encoder.encode('SFrame 1.0 Secret key ');
const SALT_LABEL = encoder.encode('SFrame 1.0 Secret salt ');

/** Label prefix || KID (8 bytes, big-endian, not the header's compact form) || suite (2 bytes). */
function label(prefix: Uint8Array, kid: bigint, suite: CipherSuite): Bytes {
  return concatBytes(prefix, uintToBytes(kid, 8), uintToBytes(suite.id, 2));
}

/** sframe_key_label = "SFrame 1.0 Secret key " + KID + cipher_suite */
export function sframeKeyLabel(kid: bigint, suite: CipherSuite): Bytes {
  return label(KEY_LABEL, kid, suite);
}

/** sframe_salt_label = "SFrame 1.0 Secret salt " + KID + cipher_suite */
export function sframeSaltLabel(kid: bigint, suite: CipherSuite): Bytes {
  return label(SALT_LABEL, kid, suite);
}

export interface SFrameKeyMaterial {
  /** HKDF-Extract("", base_key) */
  secret: Bytes;
  /** AEAD.Nk bytes */
  key: Bytes;
  /** AEAD.Nn bytes */
  salt: Bytes;
}

/** derive_key_salt(KID, base_key), with the hash of the cipher suite. */
export async function deriveKeyMaterial(
  suite: CipherSuite,
  kid: bigint,
  baseKey: Uint8Array,
): Promise<SFrameKeyMaterial> {
  const secret = await hkdfExtract(suite.hash, new Uint8Array(), baseKey);
  const key = await hkdfExpand(suite.hash, secret, sframeKeyLabel(kid, suite), suite.nk);
  const salt = await hkdfExpand(suite.hash, secret, sframeSaltLabel(kid, suite), suite.nn);
  return { secret, key, salt };
}

/** nonce = sframe_salt XOR encode_big_endian(CTR, Nn) */
export function frameNonce(salt: Uint8Array, ctr: bigint): Bytes {
  const nonce = new Uint8Array(salt.length);
  writeFrameNonce(nonce, salt, ctr);
  return nonce;
}

/** frameNonce into `out` (salt.length bytes), so a key can reuse one nonce buffer per frame. */
export function writeFrameNonce(out: Uint8Array, salt: Uint8Array, ctr: bigint): void {
  let rest = ctr;
  for (let i = salt.length - 1; i >= 0; i--) {
    out[i] = (salt[i] as number) ^ Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/** aad = header || metadata */
export function frameAad(header: Uint8Array, metadata: Uint8Array): Bytes {
  return concatBytes(header, metadata);
}
