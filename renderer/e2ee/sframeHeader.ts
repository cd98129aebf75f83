/**
 * The SFrame header (RFC 9605 section 4.3): a config byte |X|K(3)|Y|C(3)| followed by the
 * KID, then the CTR, each big-endian in the fewest bytes when it does not fit in 3 bits.
 */
import {
  type Bytes,
  bytesToUint,
  checkU64,
  concatBytes,
  minimalLength,
  uintToBytes,
} from './bytes';
import { SFrameError } from './SFrameError';

export interface SFrameHeader {
  kid: bigint;
  ctr: bigint;
}

export interface DecodedHeader extends SFrameHeader {
  /** Number of bytes the header takes at the start of the input. */
  length: number;
}

/** Values below this go in the config byte itself. */
const SHORT_LIMIT = 8n;

function encodeField(value: bigint): { bits: number; extended: boolean; bytes: Bytes } {
  if (value < SHORT_LIMIT) return { bits: Number(value), extended: false, bytes: new Uint8Array() };
  const length = minimalLength(value);
  return { bits: length - 1, extended: true, bytes: uintToBytes(value, length) };
}

export function encodeHeader(kid: bigint, ctr: bigint): Bytes {
  checkU64('kid', kid);
  checkU64('ctr', ctr);
  const k = encodeField(kid);
  const c = encodeField(ctr);
  const config = (k.extended ? 0x80 : 0) | (k.bits << 4) | (c.extended ? 0x08 : 0) | c.bits;
  return concatBytes(Uint8Array.of(config), k.bytes, c.bytes);
}

function readField(
  name: 'KID' | 'CTR',
  data: Uint8Array,
  offset: number,
  extended: boolean,
  bits: number,
): { value: bigint; end: number } {
  if (!extended) return { value: BigInt(bits), end: offset };
  const length = bits + 1;
  const end = offset + length;
  if (data.length < end) {
    throw new SFrameError('truncated', `SFrame header truncated: ${name} needs ${length} bytes`);
  }
  const value = bytesToUint(data.subarray(offset, end));
  // RFC 9605 4.3: values 0-7 go in the config byte, others in the minimum number of bytes.
  if (value < SHORT_LIMIT || minimalLength(value) !== length) {
    throw new SFrameError('malformed_header', `SFrame header ${name} is not minimally encoded`);
  }
  return { value, end };
}

/** Decodes the header at the start of `data` (the rest is the ciphertext). */
export function decodeHeader(data: Uint8Array): DecodedHeader {
  const config = data[0];
  if (config === undefined) throw new SFrameError('truncated', 'SFrame header truncated: empty');
  const kid = readField('KID', data, 1, (config & 0x80) !== 0, (config >> 4) & 0x07);
  const ctr = readField('CTR', data, kid.end, (config & 0x08) !== 0, config & 0x07);
  return { kid: kid.value, ctr: ctr.value, length: ctr.end };
}
