import { createHash } from 'node:crypto';

/**
 * The fingerprint of a device's identity key in the format both devices show while linking
 * (renderer/identity/deviceKeyFingerprint.ts): the first 80 bits of the SHA-256 of the raw key,
 * upper-case hex in groups of 4.
 */
export function deviceKeyFingerprint(identityKey: string): string {
  const digest = createHash('sha256').update(Buffer.from(identityKey, 'base64')).digest();
  const hex = digest.subarray(0, 10).toString('hex').toUpperCase();
  return (hex.match(/.{4}/g) ?? []).join(' ');
}
