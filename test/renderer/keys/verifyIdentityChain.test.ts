import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { verifyIdentityChain } from '../../../renderer/keys/verifyIdentityChain';
import { TestDevice, chainOf } from './testIdentity';

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );

describe('identity chains', () => {
  test('a root-only chain names its key as both root and device key', async () => {
    const laptop = await TestDevice.create('bob', 'device_b001');
    await expect(verifyIdentityChain('bob', await chainOf([laptop]))).resolves.toEqual({
      rootKey: laptop.identityKey,
      deviceKey: laptop.identityKey,
    });
  });

  test('a linked device verifies up to the root of its account', async () => {
    const [laptop, phone, tablet] = await Promise.all(
      ['device_b001', 'device_b002', 'device_b003'].map((id) => TestDevice.create('bob', id)),
    );
    const two = await chainOf([laptop!, phone!]);
    await expect(verifyIdentityChain('bob', two)).resolves.toEqual({
      rootKey: laptop!.identityKey,
      deviceKey: phone!.identityKey,
    });
    const three = await chainOf([laptop!, phone!, tablet!]);
    await expect(verifyIdentityChain('bob', three)).resolves.toMatchObject({
      deviceKey: tablet!.identityKey,
    });
  });

  test('a broken link is refused: a certificate from a key outside the chain', async () => {
    const [laptop, phone, mallory] = await Promise.all(
      ['device_b001', 'device_b002', 'device_m001'].map((id) => TestDevice.create('bob', id)),
    );
    const chain = await chainOf([laptop!, phone!]);
    chain[1] = {
      identityKey: phone!.identityKey,
      signature: await mallory!.certify(phone!.identityKey),
    };
    expect(await refusal(verifyIdentityChain('bob', chain))).toBe('chain_invalid');
    // The server swapping in its own device key under a real certificate fails too.
    const swapped = await chainOf([laptop!, phone!]);
    swapped[1] = { ...swapped[1]!, identityKey: mallory!.identityKey };
    expect(await refusal(verifyIdentityChain('bob', swapped))).toBe('chain_invalid');
  });

  test('a chain certified for another username is refused', async () => {
    const [laptop, phone] = await Promise.all(
      ['device_b001', 'device_b002'].map((id) => TestDevice.create('bob', id)),
    );
    const chain = await chainOf([laptop!, phone!]);
    await expect(verifyIdentityChain('bob', chain)).resolves.toBeDefined();
    expect(await refusal(verifyIdentityChain('carol', chain))).toBe('chain_invalid');
  });

  test('a certificate is bound to the link code and expiry its chain element carries', async () => {
    const [laptop, phone] = await Promise.all(
      ['device_b001', 'device_b002'].map((id) => TestDevice.create('bob', id)),
    );
    const chain = await chainOf([laptop!, phone!]);
    const link = chain[1]!.link!;
    for (const changed of [
      { ...link, code: '7KQ2-M9XD-4TRC' },
      { ...link, expiresAt: link.expiresAt + 1 },
    ]) {
      const altered = [chain[0]!, { ...chain[1]!, link: changed }];
      expect(await refusal(verifyIdentityChain('bob', altered))).toBe('chain_invalid');
    }
    // Without its code and expiry, a v2 signature is not a v1 certificate either.
    const { link: _dropped, ...withoutLink } = chain[1]!;
    expect(await refusal(verifyIdentityChain('bob', [chain[0]!, withoutLink]))).toBe(
      'chain_invalid',
    );
  });

  test('a chain linked before v2 (a v1 certificate, no link field) still verifies', async () => {
    const [laptop, phone] = await Promise.all(
      ['device_b001', 'device_b002'].map((id) => TestDevice.create('bob', id)),
    );
    const chain = [
      { identityKey: laptop!.identityKey, signature: null },
      { identityKey: phone!.identityKey, signature: await laptop!.certifyV1(phone!.identityKey) },
    ];
    await expect(verifyIdentityChain('bob', chain)).resolves.toEqual({
      rootKey: laptop!.identityKey,
      deviceKey: phone!.identityKey,
    });
    expect(await refusal(verifyIdentityChain('carol', chain))).toBe('chain_invalid');
  });

  test('a signed root or a link without a signature is refused', async () => {
    const [laptop, phone] = await Promise.all(
      ['device_b001', 'device_b002'].map((id) => TestDevice.create('bob', id)),
    );
    const chain = await chainOf([laptop!, phone!]);
    const signedRoot = [{ ...chain[0]!, signature: chain[1]!.signature }, chain[1]!];
    expect(await refusal(verifyIdentityChain('bob', signedRoot))).toBe('chain_invalid');
    const unsigned = [chain[0]!, { ...chain[1]!, signature: null }];
    expect(await refusal(verifyIdentityChain('bob', unsigned))).toBe('chain_invalid');
    expect(await refusal(verifyIdentityChain('bob', []))).toBe('chain_invalid');
  });
});
