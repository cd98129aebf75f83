import * as z from 'zod';
import './zodMessages';
import { MemberSlot } from './identity';
import { base64Bytes } from './primitives';

/**
 * A sender key's generation in a group call: 0 from the start, one more each time the sender moves
 * to a fresh random key (someone left): bits 32-47 of its KIDs (docs/protocol.md "Media keys").
 */
export const SenderGeneration = z.number().int().min(0).max(0xffff);
/** A sender key's epoch within its generation: the low 16 bits of its KIDs. */
export const SenderEpoch = z.number().int().min(0).max(0xffff);

/** Bytes of an SFrame base key, the secret a wrapped sender key carries. */
export const SENDER_KEY_BYTES = 32;
/** Bytes of the AES-GCM IV of a wrapped sender key (96 bits). */
export const SENDER_KEY_WRAP_IV_BYTES = 12;
/** Bytes of the AES-GCM tag appended to the wrapped key. */
export const SENDER_KEY_WRAP_TAG_BYTES = 16;

/**
 * One sender's SFrame base key for one generation and epoch, encrypted for one other member with
 * AES-256-GCM under their pair's wrap key (docs/protocol.md, "Group calls"). The AAD binds the call,
 * both slots, the generation and the epoch, so it opens for no other recipient, sender, call or
 * epoch. `iv` 12 bytes and `ciphertext` the 32-byte key followed by the 16-byte tag, base64.
 */
export const WrappedSenderKey = z.strictObject({
  from: MemberSlot,
  to: MemberSlot,
  generation: SenderGeneration,
  epoch: SenderEpoch,
  iv: base64Bytes(SENDER_KEY_WRAP_IV_BYTES),
  ciphertext: base64Bytes(SENDER_KEY_BYTES + SENDER_KEY_WRAP_TAG_BYTES),
});
export type WrappedSenderKey = z.infer<typeof WrappedSenderKey>;
