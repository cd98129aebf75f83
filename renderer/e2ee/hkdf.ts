/**
 * HMAC and HKDF (RFC 5869) over Web Crypto, with Extract and Expand as separate steps, as
 * RFC 9605 uses them. Web Crypto's HKDF runs both at once and hides the pseudorandom key.
 */
import { type Bytes, concatBytes, copyBytes } from './bytes';

export type HashName = 'SHA-256' | 'SHA-512';

export const HASH_LENGTH: Readonly<Record<HashName, number>> = { 'SHA-256': 32, 'SHA-512': 64 };

export async function hmac(hash: HashName, key: Uint8Array, data: Uint8Array): Promise<Bytes> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    copyBytes(key),
    { name: 'HMAC', hash },
    false,
    ['sign'],
  );
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, copyBytes(data)));
}

/**
 * HKDF-Extract(salt, ikm). An empty salt means HashLen zero bytes (RFC 5869 2.2); HMAC pads
 * its key with zeros anyway, and some Web Crypto engines refuse a zero-length HMAC key.
 */
export function hkdfExtract(hash: HashName, salt: Uint8Array, ikm: Uint8Array): Promise<Bytes> {
  const key = salt.length > 0 ? salt : new Uint8Array(HASH_LENGTH[hash]);
  return hmac(hash, key, ikm);
}

/** HKDF-Expand(prk, info, length): T(i) = HMAC(prk, T(i-1) || info || i). */
export async function hkdfExpand(
  hash: HashName,
  prk: Uint8Array,
  info: Uint8Array,
  length: number,
): Promise<Bytes> {
  const hashLength = HASH_LENGTH[hash];
  if (!Number.isInteger(length) || length < 0 || length > 255 * hashLength) {
    throw new RangeError(`HKDF-Expand length ${length} out of range`);
  }
  const key = await crypto.subtle.importKey('raw', copyBytes(prk), { name: 'HMAC', hash }, false, [
    'sign',
  ]);
  const out = new Uint8Array(length);
  let previous: Uint8Array = new Uint8Array();
  for (let i = 1, filled = 0; filled < length; i++) {
    const block = concatBytes(previous, info, Uint8Array.of(i));
    previous = new Uint8Array(await crypto.subtle.sign('HMAC', key, block));
    out.set(previous.subarray(0, length - filled), filled);
    filled += previous.length;
  }
  return out;
}
