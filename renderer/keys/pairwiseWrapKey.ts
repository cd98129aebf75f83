import type { CallKeyAgreement } from './CallKeyAgreement';
import { utf8 } from './keyEncoding';

/**
 * The HKDF info of a pair's wrap key: both slots, lower first, so both ends of the pair derive the
 * same key whichever of them computes it.
 */
export function pairwiseWrapInfo(slotA: number, slotB: number): string {
  if (slotA === slotB) throw new RangeError(`a wrap key needs two slots, not slot ${slotA} twice`);
  return `parley-room-wrap-v1\n${Math.min(slotA, slotB)}\n${Math.max(slotA, slotB)}`;
}

/**
 * The key two members of a group call wrap their sender keys under:
 * HKDF-SHA256(ikm = X25519(our ephemeral private key, their ephemeral key), salt = UTF-8(callId),
 * info = pairwiseWrapInfo(ourSlot, theirSlot), 32 bytes), as a non-extractable AES-256-GCM key.
 * Refuses (IdentityVerificationError) an ephemeral key that yields no shared secret.
 */
export async function derivePairwiseWrapKey(
  agreement: CallKeyAgreement,
  theirEphemeralKey: string,
  pair: { callId: string; ourSlot: number; theirSlot: number },
): Promise<CryptoKey> {
  const info = utf8(pairwiseWrapInfo(pair.ourSlot, pair.theirSlot));
  const shared = await agreement.sharedSecret(theirEphemeralKey);
  try {
    const ikm = await crypto.subtle.importKey('raw', shared, 'HKDF', false, ['deriveKey']);
    return await crypto.subtle.deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: utf8(pair.callId), info },
      ikm,
      { name: 'AES-GCM', length: 256 },
      false,
      ['encrypt', 'decrypt'],
    );
  } finally {
    shared.fill(0);
  }
}
