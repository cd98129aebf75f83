/** Why an SFrame operation was refused. Decryption failures never come with partial output. */
export type SFrameErrorCode =
  /** The cipher suite number is not one of RFC 9605's 0x0001-0x0005. */
  | 'unsupported_suite'
  /** An argument has the wrong type or range (KID/CTR outside 0..2^64-1, not a Uint8Array). */
  | 'invalid_argument'
  /** The base key cannot be used (empty). */
  | 'bad_key'
  /** No key is set for the KID (or it was removed while the operation ran). */
  | 'unknown_kid'
  /** The key is already used in the other direction (RFC 9605 4.4.1: encrypt or decrypt, never both). */
  | 'key_direction'
  /** The header is not a valid RFC 9605 header (non-minimal KID or CTR encoding). */
  | 'malformed_header'
  /** The input ends before the header, or before a full authentication tag. */
  | 'truncated'
  /** A media frame of a codec with no defined clear prefix, or shorter than its prefix. */
  | 'unprotectable_frame'
  /** The authentication tag does not verify: tampered frame, wrong key or wrong metadata. */
  | 'auth_failed'
  /** The counter was already accepted for this KID, or is older than the replay window. */
  | 'replay'
  /** Encryption with a counter not above the last one used for this KID (nonce reuse). */
  | 'counter_reused'
  /** The sender has used every counter up to 2^64-1 for its KID. */
  | 'counter_exhausted';

export class SFrameError extends Error {
  override readonly name = 'SFrameError';

  constructor(
    readonly code: SFrameErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
