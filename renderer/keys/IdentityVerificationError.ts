/** Why a peer's identity or call key share was refused. */
export type IdentityFailure =
  /** The identity chain is malformed or a link's signature does not verify. */
  | 'chain_invalid'
  /** The chain's root differs from the root key pinned for this contact. */
  | 'key_changed'
  /** The key share's signature does not verify with the device's identity key. */
  | 'share_signature'
  /** The key share was signed too long ago, or too far in the future, by our clock. */
  | 'share_stale'
  /** The same key share was already accepted for this call (a replay). */
  | 'share_replayed'
  /** The key share's fingerprint differs from the SDP's, or the SDP has none usable. */
  | 'fingerprint_mismatch'
  /**
   * A group-call member share names another slot than the member holds, or the slot is ours, was
   * left, or is held by another device or ephemeral key (slots are never reused).
   */
  | 'slot_mismatch'
  /** The ephemeral key cannot be used for key agreement. */
  | 'bad_ephemeral_key';

export class IdentityVerificationError extends Error {
  override readonly name = 'IdentityVerificationError';

  constructor(
    readonly reason: IdentityFailure,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
