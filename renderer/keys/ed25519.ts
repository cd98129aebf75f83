import { base64ToBytes, utf8 } from './keyEncoding';

/**
 * Ed25519 verification of a base64 signature over UTF-8 text with a base64 raw public key.
 * False for a bad signature and for a key or signature that cannot even be decoded.
 */
export async function verifyEd25519(
  publicKey: string,
  signature: string,
  text: string,
): Promise<boolean> {
  try {
    const key = await crypto.subtle.importKey(
      'raw',
      base64ToBytes(publicKey),
      { name: 'Ed25519' },
      false,
      ['verify'],
    );
    return await crypto.subtle.verify(
      { name: 'Ed25519' },
      key,
      base64ToBytes(signature),
      utf8(text),
    );
  } catch {
    return false;
  }
}
