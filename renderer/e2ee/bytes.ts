/** Byte-string encodings used by SFrame: big-endian integers, concatenation, argument checks. */
import { SFrameError } from './SFrameError';

/** A Uint8Array over a plain ArrayBuffer, which is what Web Crypto accepts. */
export type Bytes = Uint8Array<ArrayBuffer>;

/** The largest KID or CTR: 2^64 - 1. */
export const MAX_U64 = (1n << 64n) - 1n;

/** True for any Uint8Array (Node Buffers included), from any realm. */
export function isUint8Array(value: unknown): value is Uint8Array {
  return Object.prototype.toString.call(value) === '[object Uint8Array]';
}

export function checkBytes(name: string, value: unknown): asserts value is Uint8Array {
  if (!isUint8Array(value)) {
    throw new SFrameError('invalid_argument', `${name} must be a Uint8Array`);
  }
}

export function checkU64(name: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint' || value < 0n || value > MAX_U64) {
    throw new SFrameError('invalid_argument', `${name} must be a bigint in 0..2^64-1`);
  }
}

/** A private copy of the bytes, over a fresh ArrayBuffer. */
export function copyBytes(view: Uint8Array): Bytes {
  const out = new Uint8Array(view.length);
  out.set(view);
  return out;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** encode_big_endian(value, length): exactly `length` bytes, value must fit. */
export function uintToBytes(value: bigint | number, length: number): Bytes {
  let rest = BigInt(value);
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  if (rest !== 0n) throw new RangeError(`${value} does not fit in ${length} bytes`);
  return out;
}

export function bytesToUint(bytes: Uint8Array): bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** The fewest bytes (at least one) that hold `value` big-endian. */
export function minimalLength(value: bigint): number {
  let length = 1;
  while (value > 0xffn) {
    value >>= 8n;
    length++;
  }
  return length;
}

/** Compares two byte strings, taking the same time whatever the position of a difference. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}
