import { identityKeyBytes } from './identityKeyBytes';

/**
 * A short, readable fingerprint of a device's identity key (the first 80 bits of its SHA-256, in
 * hex groups of 4), shown on both devices while linking so the user can see they match.
 */
export async function deviceKeyFingerprint(identityKey: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest('SHA-256', identityKeyBytes(identityKey)),
  );
  const hex = Array.from(digest.subarray(0, 10), (b) => b.toString(16).padStart(2, '0'));
  return (hex.join('').toUpperCase().match(/.{4}/g) ?? []).join(' ');
}
