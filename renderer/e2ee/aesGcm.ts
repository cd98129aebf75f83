/** AES-GCM with a 128-bit tag (RFC 9605 suites 0x0004 and 0x0005), straight from Web Crypto. */
import { type Aead, checkAeadInputs } from './aead';
import { type Bytes, copyBytes } from './bytes';
import type { CipherSuite } from './cipherSuites';
import { SFrameError } from './SFrameError';

export async function importAesGcm(suite: CipherSuite, key: Uint8Array): Promise<Aead> {
  const aesKey = await crypto.subtle.importKey('raw', copyBytes(key), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  // Web Crypto copies iv, additionalData and data before encrypt/decrypt return (WebCrypto
  // "get a copy of the bytes held by"), which is what the Aead contract asks: no copies here.
  const params = (nonce: Uint8Array, aad: Uint8Array): AesGcmParams => ({
    name: 'AES-GCM',
    iv: nonce as Bytes,
    additionalData: aad as Bytes,
    tagLength: suite.nt * 8,
  });
  return {
    async encrypt(nonce, aad, plaintext) {
      checkAeadInputs(suite, nonce);
      return new Uint8Array(
        await crypto.subtle.encrypt(params(nonce, aad), aesKey, plaintext as Bytes),
      );
    },
    async decrypt(nonce, aad, ciphertext) {
      checkAeadInputs(suite, nonce, ciphertext);
      try {
        return new Uint8Array(
          await crypto.subtle.decrypt(params(nonce, aad), aesKey, ciphertext as Bytes),
        );
      } catch (cause) {
        throw new SFrameError('auth_failed', 'SFrame authentication failed', { cause });
      }
    },
  };
}
