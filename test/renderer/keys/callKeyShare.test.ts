import { createKeyShare, verifyKeyShare } from '../../../renderer/keys/callKeyShare';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { TestDevice, randomFingerprint } from './testIdentity';

const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

async function signedShare() {
  const alice = await TestDevice.create('alice', 'device_a001');
  const context = { role: 'caller' as const, callId, username: 'alice', deviceId: 'device_a001' };
  const ephemeralKey = (await CallKeyAgreement.create()).publicKey;
  const share = await createKeyShare(alice, context, ephemeralKey, randomFingerprint());
  return { alice, context, share };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );

describe('call key shares', () => {
  test('a share signed by the device verifies for exactly its sender, role and call', async () => {
    const { alice, context, share } = await signedShare();
    await expect(verifyKeyShare(share, context, alice.identityKey)).resolves.toBeUndefined();
  });

  test.each([
    ['role', { role: 'callee' as const }],
    ['call id', { callId: '0d3c8a51-1111-4a4a-8b8b-999999999999' }],
    ['username', { username: 'mallory' }],
    ['device id', { deviceId: 'device_m001' }],
  ])('a share presented with another %s is refused', async (_field, change) => {
    const { alice, context, share } = await signedShare();
    expect(await refusal(verifyKeyShare(share, { ...context, ...change }, alice.identityKey))).toBe(
      'share_signature',
    );
  });

  test('a swapped ephemeral key, fingerprint or signature is refused', async () => {
    const { alice, context, share } = await signedShare();
    const other = await signedShare();
    for (const tampered of [
      { ...share, ephemeralKey: (await CallKeyAgreement.create()).publicKey },
      { ...share, fingerprint: randomFingerprint() },
      { ...share, signature: other.share.signature },
    ]) {
      expect(await refusal(verifyKeyShare(tampered, context, alice.identityKey))).toBe(
        'share_signature',
      );
    }
  });

  test("a share checked against another device's key is refused", async () => {
    const { context, share } = await signedShare();
    const mallory = await TestDevice.create('alice', 'device_a002');
    expect(await refusal(verifyKeyShare(share, context, mallory.identityKey))).toBe(
      'share_signature',
    );
  });
});
