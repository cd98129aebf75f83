/**
 * The compound AEAD of RFC 9605 section 4.5.1: AES-CTR then HMAC (encrypt-then-MAC), the
 * HMAC truncated to Nt bytes. The sframe_key is enc_key (Nka bytes) || auth_key (Nh bytes).
 */
import { type Bytes, concatBytes, copyBytes, equalBytes, uintToBytes } from './bytes';
import { type Aead, checkAeadInputs } from './aead';
import type { CipherSuite } from './cipherSuites';
import { SFrameError } from './SFrameError';

/** derive_subkeys(sframe_key): the first Nka bytes encrypt, the remaining Nh authenticate. */
export function deriveSubkeys(
  suite: CipherSuite,
  key: Uint8Array,
): { encKey: Bytes; authKey: Bytes } {
  if (suite.aead !== 'aes-ctr-hmac' || key.length !== suite.nka + suite.nh) {
    throw new RangeError(`${suite.name} has no ${key.length}-byte AES-CTR+HMAC key`);
  }
  return {
    encKey: copyBytes(key.subarray(0, suite.nka)),
    authKey: copyBytes(key.subarray(suite.nka)),
  };
}

export async function importAesCtrHmac(suite: CipherSuite, key: Uint8Array): Promise<Aead> {
  const { encKey, authKey } = deriveSubkeys(suite, key);
  const aesKey = await crypto.subtle.importKey('raw', encKey, 'AES-CTR', false, [
    'encrypt',
    'decrypt',
  ]);
  const macKey = await crypto.subtle.importKey(
    'raw',
    authKey,
    { name: 'HMAC', hash: suite.hash },
    false,
    ['sign'],
  );
  encKey.fill(0);
  authKey.fill(0);

  // initial_counter = nonce || 0x00000000; the low 32 bits count blocks.
  const ctrParams = (nonce: Uint8Array): AesCtrParams => ({
    name: 'AES-CTR',
    counter: concatBytes(nonce, new Uint8Array(4)),
    length: 32,
  });

  // compute_tag: HMAC(auth_key, len(aad) || len(ct) || Nt || nonce || aad || ct)[..Nt]
  async function computeTag(nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Promise<Bytes> {
    const authData = concatBytes(
      uintToBytes(aad.length, 8),
      uintToBytes(ct.length, 8),
      uintToBytes(suite.nt, 8),
      nonce,
      aad,
      ct,
    );
    const tag = new Uint8Array(await crypto.subtle.sign('HMAC', macKey, authData));
    return tag.slice(0, suite.nt);
  }

  return {
    async encrypt(nonce, aad, plaintext) {
      checkAeadInputs(suite, nonce);
      const [nonceCopy, aadCopy] = [copyBytes(nonce), copyBytes(aad)];
      const data = copyBytes(plaintext);
      const ct = new Uint8Array(await crypto.subtle.encrypt(ctrParams(nonceCopy), aesKey, data));
      return concatBytes(ct, await computeTag(nonceCopy, aadCopy, ct));
    },
    async decrypt(nonce, aad, ciphertext) {
      checkAeadInputs(suite, nonce, ciphertext);
      const params = ctrParams(nonce);
      const split = ciphertext.length - suite.nt;
      const innerCt = copyBytes(ciphertext.subarray(0, split));
      const tag = copyBytes(ciphertext.subarray(split));
      const candidate = await computeTag(nonce, aad, innerCt);
      if (!equalBytes(tag, candidate)) {
        throw new SFrameError('auth_failed', 'SFrame authentication failed');
      }
      return new Uint8Array(await crypto.subtle.decrypt(params, aesKey, innerCt));
    },
  };
}
