/**
 * How a call names and advances its SFrame keys:
 *
 *   KID = generation * 2^32 + slot * 2^16 + epoch   (bits 47..32, 31..16, 15..0)
 *
 * The slot names the sender (the server assigns it; a room never reuses one), the generation
 * changes when a sender draws a fresh random key (someone left), and the epoch when it ratchets
 * its key (a rotation, or someone joined). A 1:1 call is generation 0, slot 0 for the caller's
 * frames and 1 for the callee's: exactly the KIDs `slot * 2^16 + epoch` it always used. Both the
 * key manager (sender) and the worker (receiver catching up) use these.
 */
import { hkdfExpand, hkdfExtract } from './hkdf';

/** A sender's slot in a call, 0..MAX_SLOT. */
export type SenderSlot = number;
export const CALLER_SLOT: SenderSlot = 0;
export const CALLEE_SLOT: SenderSlot = 1;

export const MAX_EPOCH = 0xffff;
export const MAX_SLOT = 0xffff;
/**
 * A sender moves to a new generation only when another member leaves, and a room never reuses a
 * slot, so no sender can see more than 65535 leaves: 16 bits always suffice. It keeps every KID
 * below 2^48, six bytes in the SFrame header.
 */
export const MAX_GENERATION = 0xffff;
/** A receiver derives at most this many epochs ahead of its newest key to follow a sender. */
export const MAX_RATCHET_STEPS = 16;

export interface KeyId {
  generation: number;
  slot: SenderSlot;
  epoch: number;
}

const RATCHET_INFO = new TextEncoder().encode('parley-sframe-ratchet-v1');

export function kidFor(slot: SenderSlot, epoch: number, generation = 0): bigint {
  checkField('slot', slot, MAX_SLOT);
  checkField('epoch', epoch, MAX_EPOCH);
  checkField('generation', generation, MAX_GENERATION);
  return (BigInt(generation) << 32n) | (BigInt(slot) << 16n) | BigInt(epoch);
}

/** The generation, slot and epoch of a KID, or null when the KID is not one a call uses. */
export function parseKid(kid: bigint): KeyId | null {
  if (kid < 0n || kid >> 32n > BigInt(MAX_GENERATION)) return null;
  return {
    generation: Number(kid >> 32n),
    slot: Number((kid >> 16n) & 0xffffn),
    epoch: Number(kid & 0xffffn),
  };
}

/** baseKey(r, e+1) = HKDF-SHA256(ikm = baseKey(r, e), salt = empty, info = ratchet label, 32). */
export async function ratchetBaseKey(baseKey: Uint8Array): Promise<Uint8Array> {
  const prk = await hkdfExtract('SHA-256', new Uint8Array(0), baseKey);
  return hkdfExpand('SHA-256', prk, RATCHET_INFO, 32);
}

function checkField(name: string, value: number, max: number): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} ${value} is outside 0..${max}`);
  }
}
