import { ratchetBaseKey } from '../../../renderer/e2ee/callKeyIds';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { deriveCallBaseKeys } from '../../../renderer/keys/keyDerivation';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const unhex = (text: string) => Uint8Array.from(Buffer.from(text, 'hex'));

// RFC 7748 section 6.1: Alice's private key, Bob's public key and their shared secret.
const alicePrivate = '77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a';
const alicePublic = '8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a';
const bobPublic = 'de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f';
const shared = '4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742';
const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

// Computed once, independently, with node:crypto diffieHellman and hkdfSync.
const expected = {
  caller: [
    '510ff0575f2e8f4bba62e3fba90dfea37a0caf3346c388fe166c8a24c066a2b7',
    'fb34bc8db5ccee87a9c2b6e7448b4b9ad0e610ee3c42a92624edb4f645f34615',
    'ba8c389019927e95c1b4a28c1a0f97f429498a407840c4d6ec68a835dcc6d5f6',
  ],
  callee: [
    'f572be95336970183f90a1480bd6a3a66736e9b402eab5e651af6e13cc47ed98',
    'ce1193f033e08743d4d1d1bbab4191bcf0d0f7d594968e828ce94ae566f0d358',
    'f864a7f059244c7d7050e14a9ad087a48583f24b8d7affa5e725f40690f69220',
  ],
};

async function aliceAgreement(): Promise<CallKeyAgreement> {
  // PKCS#8 wrapping of a raw X25519 private key (RFC 8410).
  const pkcs8 = Buffer.concat([
    Buffer.from('302e020100300506032b656e04220420', 'hex'),
    unhex(alicePrivate),
  ]);
  const privateKey = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, [
    'deriveBits',
  ]);
  const publicKey = await crypto.subtle.importKey(
    'raw',
    unhex(alicePublic),
    { name: 'X25519' },
    true,
    [],
  );
  return CallKeyAgreement.fromKeyPair({ privateKey, publicKey });
}

describe('call key derivation', () => {
  test('fixed X25519 keys and call id give the fixed base keys of both senders', async () => {
    const alice = await aliceAgreement();
    expect(Buffer.from(alice.publicKey, 'base64').toString('hex')).toBe(alicePublic);
    const keys = await alice.deriveBaseKeys(
      Buffer.from(unhex(bobPublic)).toString('base64'),
      callId,
    );
    expect(hex(keys.caller)).toBe(expected.caller[0]);
    expect(hex(keys.callee)).toBe(expected.callee[0]);
  });

  test('the HKDF step alone matches, and each ratchet step gives the next epoch', async () => {
    const keys = await deriveCallBaseKeys(unhex(shared), callId);
    for (const role of ['caller', 'callee'] as const) {
      let key = keys[role];
      expect(hex(key)).toBe(expected[role][0]);
      for (const epoch of [1, 2]) {
        key = await ratchetBaseKey(key);
        expect(hex(key)).toBe(expected[role][epoch]);
      }
    }
  });

  test('two fresh agreements reach the same keys, different for each sender and each call', async () => {
    const caller = await CallKeyAgreement.create();
    const callee = await CallKeyAgreement.create();
    const a = await caller.deriveBaseKeys(callee.publicKey, callId);
    const b = await callee.deriveBaseKeys(caller.publicKey, callId);
    expect(hex(a.caller)).toBe(hex(b.caller));
    expect(hex(a.callee)).toBe(hex(b.callee));
    expect(hex(a.caller)).not.toBe(hex(a.callee));
    const other = await caller.deriveBaseKeys(callee.publicKey, crypto.randomUUID());
    expect(hex(other.caller)).not.toBe(hex(a.caller));
  });

  test('a low-order peer key that gives no shared secret is refused', async () => {
    const alice = await aliceAgreement();
    const zero = Buffer.alloc(32).toString('base64');
    await expect(alice.deriveBaseKeys(zero, callId)).rejects.toBeInstanceOf(
      IdentityVerificationError,
    );
  });
});
