/**
 * Independent reference implementation of SFrame (RFC 9605), used only by tests to cross-check
 * the product codec in renderer/e2ee/. Written from the RFC text alone, deliberately in a
 * different style from the product: synchronous, Buffer-based, node:crypto only, HKDF built by
 * hand from HMAC, and keys re-derived on every call (no key store, no replay state).
 *
 * Sections referenced below: 4.3 (header), 4.4.2 (key derivation), 4.4.3/4.4.4 (encrypt and
 * decrypt), 4.5 (cipher suites) and 4.5.1 (AES-CTR + HMAC compound AEAD).
 */
import { createCipheriv, createDecipheriv, createHmac, timingSafeEqual } from 'node:crypto';

/** Largest value a KID or CTR may take: both are 64-bit unsigned integers. */
export const MAX_U64 = (1n << 64n) - 1n;

/** The five cipher suites of RFC 9605 table 1 (numeric ids from section 8.1). */
export interface SuiteParams {
  readonly id: number;
  readonly name: string;
  /** Hash used by HKDF and (for CTR suites) by the HMAC tag. */
  readonly hash: 'sha256' | 'sha512';
  /** Hash output size. */
  readonly nh: number;
  /** AES key size inside the compound AEAD; null for GCM suites. */
  readonly nka: number | null;
  /** AEAD key size (for CTR suites: nka + nh). */
  readonly nk: number;
  /** Nonce size. */
  readonly nn: number;
  /** Tag size. */
  readonly nt: number;
}

const SUITE_TABLE: readonly SuiteParams[] = [
  {
    id: 1,
    name: 'AES_128_CTR_HMAC_SHA256_80',
    hash: 'sha256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 10,
  },
  {
    id: 2,
    name: 'AES_128_CTR_HMAC_SHA256_64',
    hash: 'sha256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 8,
  },
  {
    id: 3,
    name: 'AES_128_CTR_HMAC_SHA256_32',
    hash: 'sha256',
    nh: 32,
    nka: 16,
    nk: 48,
    nn: 12,
    nt: 4,
  },
  {
    id: 4,
    name: 'AES_128_GCM_SHA256_128',
    hash: 'sha256',
    nh: 32,
    nka: null,
    nk: 16,
    nn: 12,
    nt: 16,
  },
  {
    id: 5,
    name: 'AES_256_GCM_SHA512_128',
    hash: 'sha512',
    nh: 64,
    nka: null,
    nk: 32,
    nn: 12,
    nt: 16,
  },
];

export const SUITE_IDS: readonly number[] = SUITE_TABLE.map((s) => s.id);

export function suiteParams(suite: number): SuiteParams {
  const found = SUITE_TABLE.find((s) => s.id === suite);
  if (!found) throw new RangeError(`unknown SFrame cipher suite ${suite}`);
  return found;
}

/** Raised by the reference for any frame it refuses (malformed header, short frame, bad tag). */
export class ReferenceSFrameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReferenceSFrameError';
  }
}

type Bytes = Uint8Array;

function buf(bytes: Bytes): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function checkU64(what: string, value: bigint): void {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new RangeError(`${what} must be a bigint in [0, 2^64-1], got ${String(value)}`);
  }
}

/** Fixed-width big-endian encoding of a non-negative integer (`encode_big_endian(x, n)`). */
export function bigEndian(value: bigint, width: number): Buffer {
  const out = Buffer.alloc(width);
  let rest = value;
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`${value} does not fit in ${width} bytes`);
  return out;
}

/** Number of bytes in the minimal big-endian encoding of value (value >= 1). */
function minimalWidth(value: bigint): number {
  let width = 0;
  for (let v = value; v > 0n; v >>= 8n) width++;
  return width;
}

function readBigEndian(bytes: Buffer, start: number, width: number): bigint {
  let value = 0n;
  for (let i = start; i < start + width; i++) value = (value << 8n) | BigInt(bytes[i] as number);
  return value;
}

// ---------------------------------------------------------------------------------------------
// Section 4.3: header
// ---------------------------------------------------------------------------------------------

/** One half of the config byte: 4 bits (flag + 3-bit field) plus the trailing bytes if any. */
function encodeField(value: bigint): { nibble: number; tail: Buffer } {
  if (value < 8n) return { nibble: Number(value), tail: Buffer.alloc(0) };
  const width = minimalWidth(value);
  return { nibble: 0b1000 | (width - 1), tail: bigEndian(value, width) };
}

/** `encode_sframe_header`: config byte `X KKK Y CCC`, then KID bytes, then CTR bytes. */
export function encodeHeader(kid: bigint, ctr: bigint): Buffer {
  checkU64('KID', kid);
  checkU64('CTR', ctr);
  const k = encodeField(kid);
  const c = encodeField(ctr);
  return Buffer.concat([Buffer.of((k.nibble << 4) | c.nibble), k.tail, c.tail]);
}

export interface DecodedHeader {
  kid: bigint;
  ctr: bigint;
  /** Number of bytes the header occupies at the start of buf. */
  length: number;
}

/**
 * Parses the header at the start of buf (trailing bytes are ignored). Refuses a truncated header
 * and, since section 4.3 says the value MUST be encoded with the minimum number of bytes, an
 * extended field that is not minimal (a value below 8, or a leading zero byte).
 */
export function decodeHeader(input: Bytes): DecodedHeader {
  const bytes = buf(input);
  if (bytes.length < 1) throw new ReferenceSFrameError('empty frame: no SFrame header');
  const config = bytes[0] as number;
  let offset = 1;
  const field = (nibble: number, what: string): bigint => {
    if ((nibble & 0b1000) === 0) return BigInt(nibble & 0b0111);
    const width = (nibble & 0b0111) + 1;
    if (bytes.length < offset + width) {
      throw new ReferenceSFrameError(`truncated header: ${what} needs ${width} bytes`);
    }
    const value = readBigEndian(bytes, offset, width);
    if (value < 8n || minimalWidth(value) !== width) {
      throw new ReferenceSFrameError(`non-minimal ${what} encoding in header`);
    }
    offset += width;
    return value;
  };
  const kid = field(config >> 4, 'KID');
  const ctr = field(config & 0x0f, 'CTR');
  return { kid, ctr, length: offset };
}

// ---------------------------------------------------------------------------------------------
// Section 4.4.2: key derivation (HKDF, RFC 5869, built from HMAC)
// ---------------------------------------------------------------------------------------------

export function hkdfExtract(hash: SuiteParams['hash'], salt: Bytes, ikm: Bytes): Buffer {
  return createHmac(hash, buf(salt)).update(buf(ikm)).digest();
}

export function hkdfExpand(
  hash: SuiteParams['hash'],
  prk: Bytes,
  info: Bytes,
  length: number,
): Buffer {
  const blocks: Buffer[] = [];
  let previous = Buffer.alloc(0);
  let produced = 0;
  for (let i = 1; produced < length; i++) {
    if (i > 255) throw new RangeError('HKDF-Expand length too large');
    previous = createHmac(hash, buf(prk))
      .update(previous)
      .update(buf(info))
      .update(Buffer.of(i))
      .digest();
    blocks.push(previous);
    produced += previous.length;
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** `"SFrame 1.0 Secret " + kind + " " + KID (8 bytes BE) + cipher_suite (2 bytes BE)`. */
export function derivationLabel(kind: 'key' | 'salt', suite: number, kid: bigint): Buffer {
  checkU64('KID', kid);
  return Buffer.concat([
    Buffer.from(`SFrame 1.0 Secret ${kind} `, 'latin1'),
    bigEndian(kid, 8),
    bigEndian(BigInt(suite), 2),
  ]);
}

export interface DerivedKeys {
  secret: Buffer;
  key: Buffer;
  salt: Buffer;
}

/** `derive_key_salt(KID, base_key)` for the given suite; also returns sframe_secret. */
export function deriveKeyAndSalt(suite: number, kid: bigint, baseKey: Bytes): DerivedKeys {
  const p = suiteParams(suite);
  const secret = hkdfExtract(p.hash, Buffer.alloc(0), baseKey);
  return {
    secret,
    key: hkdfExpand(p.hash, secret, derivationLabel('key', suite, kid), p.nk),
    salt: hkdfExpand(p.hash, secret, derivationLabel('salt', suite, kid), p.nn),
  };
}

/** Section 4.4.3: nonce = sframe_salt XOR encode_big_endian(CTR, Nn). */
export function frameNonce(salt: Bytes, ctr: bigint): Buffer {
  checkU64('CTR', ctr);
  const counter = bigEndian(ctr, salt.length);
  return Buffer.from(counter.map((b, i) => b ^ (salt[i] as number)));
}

// ---------------------------------------------------------------------------------------------
// Sections 4.5 / 4.5.1: AEADs
// ---------------------------------------------------------------------------------------------

/** Section 4.5.1 `derive_subkeys`: enc_key = key[..Nka], auth_key = key[Nka..]. */
export function deriveSubkeys(suite: number, key: Bytes): { encKey: Buffer; authKey: Buffer } {
  return splitCompoundKey(suiteParams(suite), key);
}

function splitCompoundKey(p: SuiteParams, key: Bytes): { encKey: Buffer; authKey: Buffer } {
  const k = buf(key);
  if (p.nka === null || k.length !== p.nk) throw new RangeError(`bad AEAD key for ${p.name}`);
  return { encKey: k.subarray(0, p.nka), authKey: k.subarray(p.nka) };
}

function compoundTag(p: SuiteParams, authKey: Buffer, nonce: Buffer, aad: Buffer, ct: Buffer) {
  const mac = createHmac(p.hash, authKey)
    .update(bigEndian(BigInt(aad.length), 8))
    .update(bigEndian(BigInt(ct.length), 8))
    .update(bigEndian(BigInt(p.nt), 8))
    .update(nonce)
    .update(aad)
    .update(ct)
    .digest();
  return mac.subarray(0, p.nt);
}

function aesCtr(encKey: Buffer, nonce: Buffer, data: Buffer): Buffer {
  // initial_counter = nonce + 0x00000000; node increments the whole 128-bit block, which equals
  // a 32-bit block counter for any frame shorter than 2^32 blocks.
  const iv = Buffer.concat([nonce, Buffer.alloc(4)]);
  const cipher = createCipheriv(`aes-${encKey.length * 8}-ctr`, encKey, iv);
  return Buffer.concat([cipher.update(data), cipher.final()]);
}

function gcmName(p: SuiteParams): 'aes-128-gcm' | 'aes-256-gcm' {
  return p.nk === 16 ? 'aes-128-gcm' : 'aes-256-gcm';
}

/** AEAD.Encrypt(key, nonce, aad, pt) for the suite: ct || tag. */
export function aeadSeal(suite: number, key: Bytes, nonce: Bytes, aad: Bytes, pt: Bytes): Buffer {
  const p = suiteParams(suite);
  const n = buf(nonce);
  if (n.length !== p.nn) throw new RangeError(`nonce must be ${p.nn} bytes`);
  if (p.nka !== null) {
    const { encKey, authKey } = splitCompoundKey(p, key);
    const ct = aesCtr(encKey, n, buf(pt));
    return Buffer.concat([ct, compoundTag(p, authKey, n, buf(aad), ct)]);
  }
  const k = buf(key);
  if (k.length !== p.nk) throw new RangeError(`key must be ${p.nk} bytes`);
  const gcm = createCipheriv(gcmName(p), k, n, { authTagLength: p.nt });
  gcm.setAAD(buf(aad));
  const ct = Buffer.concat([gcm.update(buf(pt)), gcm.final()]);
  return Buffer.concat([ct, gcm.getAuthTag()]);
}

/** AEAD.Decrypt(key, nonce, aad, ct || tag); throws ReferenceSFrameError on any failure. */
export function aeadOpen(
  suite: number,
  key: Bytes,
  nonce: Bytes,
  aad: Bytes,
  sealed: Bytes,
): Buffer {
  const p = suiteParams(suite);
  const n = buf(nonce);
  const s = buf(sealed);
  if (n.length !== p.nn) throw new RangeError(`nonce must be ${p.nn} bytes`);
  if (s.length < p.nt) throw new ReferenceSFrameError('ciphertext shorter than the tag');
  const ct = s.subarray(0, s.length - p.nt);
  const tag = s.subarray(s.length - p.nt);
  if (p.nka !== null) {
    const { encKey, authKey } = splitCompoundKey(p, key);
    const expected = compoundTag(p, authKey, n, buf(aad), ct);
    if (!timingSafeEqual(expected, tag)) throw new ReferenceSFrameError('authentication failed');
    return aesCtr(encKey, n, ct);
  }
  const k = buf(key);
  if (k.length !== p.nk) throw new RangeError(`key must be ${p.nk} bytes`);
  const gcm = createDecipheriv(gcmName(p), k, n, { authTagLength: p.nt });
  gcm.setAAD(buf(aad));
  gcm.setAuthTag(tag);
  const pt = gcm.update(ct);
  try {
    return Buffer.concat([pt, gcm.final()]);
  } catch {
    throw new ReferenceSFrameError('authentication failed');
  }
}

// ---------------------------------------------------------------------------------------------
// Sections 4.4.3 / 4.4.4: whole frames
// ---------------------------------------------------------------------------------------------

/** SFrame encrypt: header || AEAD.Encrypt(sframe_key, nonce, header || metadata, plaintext). */
export function protect(
  suite: number,
  kid: bigint,
  ctr: bigint,
  baseKey: Bytes,
  metadata: Bytes,
  plaintext: Bytes,
): Buffer {
  const header = encodeHeader(kid, ctr);
  const { key, salt } = deriveKeyAndSalt(suite, kid, baseKey);
  const aad = Buffer.concat([header, buf(metadata)]);
  return Buffer.concat([header, aeadSeal(suite, key, frameNonce(salt, ctr), aad, plaintext)]);
}

/**
 * SFrame decrypt with a single known base key (whatever KID the header names: the key is derived
 * for that KID). Throws ReferenceSFrameError for a malformed header or a failed tag.
 */
export function unprotect(suite: number, baseKey: Bytes, metadata: Bytes, sframe: Bytes): Buffer {
  const frame = buf(sframe);
  const { kid, ctr, length } = decodeHeader(frame);
  const header = frame.subarray(0, length);
  const { key, salt } = deriveKeyAndSalt(suite, kid, baseKey);
  const aad = Buffer.concat([header, buf(metadata)]);
  return aeadOpen(suite, key, frameNonce(salt, ctr), aad, frame.subarray(length));
}
