/** The AEAD interface shared by both constructions (RFC 5116 style: the tag ends the ciphertext). */
import type { Bytes } from './bytes';
import type { CipherSuite } from './cipherSuites';
import { SFrameError } from './SFrameError';

/**
 * AEAD.Encrypt / AEAD.Decrypt with the key bound; the tag is part of the ciphertext. Both read
 * every input before they return their promise, so the caller may reuse or change its buffers
 * (a per-key nonce buffer, a scratch AAD) while the promise is pending.
 */
export interface Aead {
  encrypt(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Promise<Bytes>;
  /** Throws SFrameError 'truncated' (shorter than a tag) or 'auth_failed'. */
  decrypt(nonce: Uint8Array, aad: Uint8Array, ciphertext: Uint8Array): Promise<Bytes>;
}

/** Nonce must be Nn bytes; a ciphertext must hold at least the tag. */
export function checkAeadInputs(suite: CipherSuite, nonce: Uint8Array, ciphertext?: Uint8Array) {
  if (nonce.length !== suite.nn) throw new RangeError(`nonce must be ${suite.nn} bytes`);
  if (ciphertext && ciphertext.length < suite.nt) {
    throw new SFrameError('truncated', `ciphertext shorter than the ${suite.nt}-byte tag`);
  }
}
