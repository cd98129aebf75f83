/**
 * How a 1:1 call names and advances its SFrame keys: KID = (slot << 16) | epoch, slot 0 for the
 * caller's frames and 1 for the callee's, and each epoch's base key ratchets from the one before.
 * Both the key manager (sender) and the worker (receiver catching up) use these.
 */
import { hkdfExpand, hkdfExtract } from './hkdf';

export type SenderSlot = 0 | 1;
export const CALLER_SLOT: SenderSlot = 0;
export const CALLEE_SLOT: SenderSlot = 1;

export const MAX_EPOCH = 0xffff;
/** A receiver derives at most this many epochs ahead of its newest key to follow a sender. */
export const MAX_RATCHET_STEPS = 16;

const RATCHET_INFO = new TextEncoder().encode('parley-sframe-ratchet-v1');

export function kidFor(slot: SenderSlot, epoch: number): bigint {
  if (!Number.isInteger(epoch) || epoch < 0 || epoch > MAX_EPOCH) {
    throw new RangeError(`epoch ${epoch} is outside 0..${MAX_EPOCH}`);
  }
  return (BigInt(slot) << 16n) | BigInt(epoch);
}

/** The slot and epoch of a KID, or null when the KID is not one a call uses. */
export function parseKid(kid: bigint): { slot: SenderSlot; epoch: number } | null {
  const slot = kid >> 16n;
  if (slot !== 0n && slot !== 1n) return null;
  return { slot: Number(slot) as SenderSlot, epoch: Number(kid & 0xffffn) };
}

/** baseKey(r, e+1) = HKDF-SHA256(ikm = baseKey(r, e), salt = empty, info = ratchet label, 32). */
export async function ratchetBaseKey(baseKey: Uint8Array): Promise<Uint8Array> {
  const prk = await hkdfExtract('SHA-256', new Uint8Array(0), baseKey);
  return hkdfExpand('SHA-256', prk, RATCHET_INFO, 32);
}
