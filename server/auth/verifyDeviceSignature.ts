import { createPublicKey, verify } from 'node:crypto';

/**
 * Checks an Ed25519 signature by a device identity key over UTF-8 text. Keys and signatures are
 * standard base64 of raw bytes; anything malformed (wrong length, not a curve point) is simply
 * "does not verify".
 */
export function verifyDeviceSignature(
  identityKey: string,
  text: string,
  signature: string,
): boolean {
  const keyBytes = Buffer.from(identityKey, 'base64');
  const signatureBytes = Buffer.from(signature, 'base64');
  if (keyBytes.length !== 32 || signatureBytes.length !== 64) return false;
  try {
    const publicKey = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: keyBytes.toString('base64url') },
      format: 'jwk',
    });
    return verify(null, Buffer.from(text, 'utf8'), publicKey, signatureBytes);
  } catch {
    return false;
  }
}
