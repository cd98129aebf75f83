import type { CallRole } from '../../protocol';
import { hkdfExpand, hkdfExtract } from '../e2ee/hkdf';
import { utf8 } from './keyEncoding';

export interface CallBaseKeys {
  /** Epoch-0 SFrame base key of the caller's frames (slot 0). */
  caller: Uint8Array;
  /** Epoch-0 SFrame base key of the callee's frames (slot 1). */
  callee: Uint8Array;
}

/**
 * baseKey(r, 0) = HKDF-SHA256(ikm = X25519 shared secret, salt = callId, info =
 * `parley-sframe-v1\n${r}`, 32 bytes): each sender its own key, bound to this call.
 */
export async function deriveSenderBaseKey(
  shared: Uint8Array,
  callId: string,
  role: CallRole,
): Promise<Uint8Array> {
  const prk = await hkdfExtract('SHA-256', utf8(callId), shared);
  return hkdfExpand('SHA-256', prk, utf8(`parley-sframe-v1\n${role}`), 32);
}

export async function deriveCallBaseKeys(
  shared: Uint8Array,
  callId: string,
): Promise<CallBaseKeys> {
  return {
    caller: await deriveSenderBaseKey(shared, callId, 'caller'),
    callee: await deriveSenderBaseKey(shared, callId, 'callee'),
  };
}
