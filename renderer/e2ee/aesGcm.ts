/** AES-GCM with a 128-bit tag (RFC 9605 suites 0x0004 and 0x0005), straight from Web Crypto. */
import { type Aead, checkAeadInputs } from './aead';
import { copyBytes } from './bytes';
import type { CipherSuite } from './cipherSuites';
import { SFrameError } from './SFrameError';

export async function importAesGcm(suite: CipherSuite, key: Uint8Array): Promise<Aead> {
  const aesKey = await crypto.subtle.importKey('raw', copyBytes(key), 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
  const params = (nonce: Uint8Array, aad: Uint8Array): AesGcmParams => ({
    name: 'AES-GCM',
    iv: copyBytes(nonce),
    additionalData: copyBytes(aad),
    tagLength: suite.nt * 8,
  });
  return {
    async encrypt(nonce, aad, plaintext) {
      checkAeadInputs(suite, nonce);
      const data = copyBytes(plaintext);
      return new Uint8Array(await crypto.subtle.encrypt(params(nonce, aad), aesKey, data));
    },
    async decrypt(nonce, aad, ciphertext) {
      checkAeadInputs(suite, nonce, ciphertext);
      try {
        const data = copyBytes(ciphertext);
        return new Uint8Array(await crypto.subtle.decrypt(params(nonce, aad), aesKey, data));
      } catch (cause) {
        throw new SFrameError('auth_failed', 'SFrame authentication failed', { cause });
      }
    },
  };
}
