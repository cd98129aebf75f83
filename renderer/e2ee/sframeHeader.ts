/**
 * The SFrame header (RFC 9605 section 4.3): a config byte |X|K(3)|Y|C(3)| followed by the
 * KID, then the CTR, each big-endian in the fewest bytes when it does not fit in 3 bits.
 */
import { type Bytes, bytesToUint, checkU64, minimalLength } from './bytes';
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

/** Bytes a field takes after the config byte: none for values below SHORT_LIMIT. */
function fieldLength(value: bigint): number {
  return value < SHORT_LIMIT ? 0 : minimalLength(value);
}

/** Bytes the header of (kid, ctr) takes; both must be checked u64s. */
export function headerLength(kid: bigint, ctr: bigint): number {
  return 1 + fieldLength(kid) + fieldLength(ctr);
}

/** Big-endian `value` into out[offset .. offset + length), length already minimal. */
function writeField(out: Uint8Array, offset: number, value: bigint, length: number): void {
  let rest = value;
  for (let i = offset + length - 1; i >= offset; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/**
 * Writes the header of (kid, ctr) into `out` at `offset` (headerLength bytes, which the caller
 * has room for; both checked u64s): the encoder's hot path writes straight into the frame.
 */
export function writeHeader(out: Uint8Array, offset: number, kid: bigint, ctr: bigint): void {
  const kidLength = fieldLength(kid);
  const ctrLength = fieldLength(ctr);
  const kidBits = kidLength === 0 ? Number(kid) << 4 : 0x80 | ((kidLength - 1) << 4);
  const ctrBits = ctrLength === 0 ? Number(ctr) : 0x08 | (ctrLength - 1);
  out[offset] = kidBits | ctrBits;
  writeField(out, offset + 1, kid, kidLength);
  writeField(out, offset + 1 + kidLength, ctr, ctrLength);
}

export function encodeHeader(kid: bigint, ctr: bigint): Bytes {
  checkU64('kid', kid);
  checkU64('ctr', ctr);
  const out = new Uint8Array(headerLength(kid, ctr));
  writeHeader(out, 0, kid, ctr);
  return out;
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
