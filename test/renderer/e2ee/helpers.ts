import { SFrameError } from '../../../renderer/e2ee/sframe';

/** The SFrameError code a promise rejects with (fails the test if it resolves). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SFrameError) return error.code;
    throw error;
  }
  throw new Error('expected an SFrameError, but the promise resolved');
}

export function randomBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 65536) {
    crypto.getRandomValues(out.subarray(offset, Math.min(length, offset + 65536)));
  }
  return out;
}

/** A copy of `bytes` with bit number `bit` (0 = lowest bit of the first byte) flipped. */
export function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  out[bit >> 3] = (out[bit >> 3] as number) ^ (1 << (bit & 7));
  return out;
}

/**
 * A VP8 key frame's 10-byte header (RFC 6386 9.1): the frame tag with P=0, the start code 9d 01 2a,
 * then 14-bit width and height (640 x 480).
 */
export const VP8_KEY_FRAME_HEADER = [0x50, 0x42, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01];
