import { createKeyShare, verifyKeyShare } from '../../../renderer/keys/callKeyShare';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import {
  KeyShareReplayGuard,
  MAX_REMEMBERED_KEY_SHARES,
} from '../../../renderer/keys/KeyShareReplayGuard';
import { KEY_SHARE_MAX_AGE_MS, KEY_SHARE_MAX_FUTURE_MS } from '../../../protocol';
import { TestDevice, randomFingerprint } from './testIdentity';

const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/** A share Alice's device signs at `signedAt` (its clock), by default now. */
async function signedShare(signedAt = Date.now()) {
  const alice = await TestDevice.create('alice', 'device_a001');
  alice.clock = () => signedAt;
  const context = { role: 'caller' as const, callId, username: 'alice', deviceId: 'device_a001' };
  const ephemeralKey = (await CallKeyAgreement.create()).publicKey;
  const share = await createKeyShare(alice, context, ephemeralKey, randomFingerprint());
  return { alice, context, share };
}

/** A receiver checking at `now` that has seen no share before. */
const fresh = (now = Date.now()) => ({ now, replays: new KeyShareReplayGuard() });

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );

describe('call key shares', () => {
  test('a share signed by the device verifies for exactly its sender, role and call', async () => {
    const { alice, context, share } = await signedShare();
    await expect(
      verifyKeyShare(share, context, alice.identityKey, fresh()),
    ).resolves.toBeUndefined();
  });

  test.each([
    ['role', { role: 'callee' as const }],
    ['call id', { callId: '0d3c8a51-1111-4a4a-8b8b-999999999999' }],
    ['username', { username: 'mallory' }],
    ['device id', { deviceId: 'device_m001' }],
  ])('a share presented with another %s is refused', async (_field, change) => {
    const { alice, context, share } = await signedShare();
    expect(
      await refusal(verifyKeyShare(share, { ...context, ...change }, alice.identityKey, fresh())),
    ).toBe('share_signature');
  });

  test('a swapped ephemeral key, fingerprint or signature is refused', async () => {
    const { alice, context, share } = await signedShare();
    const other = await signedShare();
    for (const tampered of [
      { ...share, ephemeralKey: (await CallKeyAgreement.create()).publicKey },
      { ...share, fingerprint: randomFingerprint() },
      { ...share, signature: other.share.signature },
      { ...share, signedAt: share.signedAt + 1 },
    ]) {
      expect(await refusal(verifyKeyShare(tampered, context, alice.identityKey, fresh()))).toBe(
        'share_signature',
      );
    }
  });

  test("a share checked against another device's key is refused", async () => {
    const { context, share } = await signedShare();
    const mallory = await TestDevice.create('alice', 'device_a002');
    expect(await refusal(verifyKeyShare(share, context, mallory.identityKey, fresh()))).toBe(
      'share_signature',
    );
  });

  describe('freshness', () => {
    const signedAt = Date.UTC(2026, 5, 1, 12, 0, 0);

    test('a share within the window is accepted, at both of its edges', async () => {
      const { alice, context, share } = await signedShare(signedAt);
      for (const now of [
        signedAt,
        signedAt + KEY_SHARE_MAX_AGE_MS,
        signedAt - KEY_SHARE_MAX_FUTURE_MS,
      ]) {
        await expect(
          verifyKeyShare(share, context, alice.identityKey, fresh(now)),
        ).resolves.toBeUndefined();
      }
    });

    test('a share signed longer ago than the window is refused as stale', async () => {
      const { alice, context, share } = await signedShare(signedAt);
      const check = verifyKeyShare(
        share,
        context,
        alice.identityKey,
        fresh(signedAt + KEY_SHARE_MAX_AGE_MS + 1),
      );
      await expect(check).rejects.toThrow("the caller's call key share was signed 300 s ago");
      expect(
        await refusal(
          verifyKeyShare(share, context, alice.identityKey, fresh(signedAt + 24 * 3600_000)),
        ),
      ).toBe('share_stale');
    });

    test('a share signed further in the future than the skew bound is refused', async () => {
      const { alice, context, share } = await signedShare(signedAt);
      const now = signedAt - KEY_SHARE_MAX_FUTURE_MS - 1;
      expect(await refusal(verifyKeyShare(share, context, alice.identityKey, fresh(now)))).toBe(
        'share_stale',
      );
    });

    test('a share accepted once is refused when it comes again, even under a new check', async () => {
      const { alice, context, share } = await signedShare(signedAt);
      const receiver = fresh(signedAt + 1000);
      await expect(
        verifyKeyShare(share, context, alice.identityKey, receiver),
      ).resolves.toBeUndefined();
      expect(await refusal(verifyKeyShare(share, context, alice.identityKey, receiver))).toBe(
        'share_replayed',
      );
      // Another share for the same call (a rejoin's) is still accepted.
      const rejoin = await createKeyShare(
        alice,
        context,
        (await CallKeyAgreement.create()).publicKey,
        share.fingerprint,
      );
      await expect(
        verifyKeyShare(rejoin, context, alice.identityKey, receiver),
      ).resolves.toBeUndefined();
    });

    test('a share whose signature fails is not remembered, so it cannot block the real one', async () => {
      const { alice, context, share } = await signedShare(signedAt);
      const receiver = fresh(signedAt);
      const forged = { ...share, ephemeralKey: (await CallKeyAgreement.create()).publicKey };
      expect(await refusal(verifyKeyShare(forged, context, alice.identityKey, receiver))).toBe(
        'share_signature',
      );
      await expect(
        verifyKeyShare(share, context, alice.identityKey, receiver),
      ).resolves.toBeUndefined();
    });
  });
});

describe('the replay memory', () => {
  const signedAt = 1_000_000;

  test('forgets a share once it would be refused as stale anyway', () => {
    const replays = new KeyShareReplayGuard();
    expect(replays.remember('call-1', 'sig', signedAt, signedAt)).toBe(true);
    expect(replays.remember('call-1', 'sig', signedAt, signedAt + KEY_SHARE_MAX_AGE_MS)).toBe(
      false,
    );
    const expired = signedAt + KEY_SHARE_MAX_AGE_MS + KEY_SHARE_MAX_FUTURE_MS;
    expect(replays.remember('call-2', 'sig', expired, expired)).toBe(true);
    expect(replays.size).toBe(1);
  });

  test(`holds at most ${MAX_REMEMBERED_KEY_SHARES} shares, forgetting the oldest first`, () => {
    const replays = new KeyShareReplayGuard();
    for (let i = 0; i <= MAX_REMEMBERED_KEY_SHARES; i += 1) {
      expect(replays.remember(`call-${i}`, 'sig', signedAt, signedAt)).toBe(true);
    }
    expect(replays.size).toBe(MAX_REMEMBERED_KEY_SHARES);
    expect(replays.remember(`call-${MAX_REMEMBERED_KEY_SHARES}`, 'sig', signedAt, signedAt)).toBe(
      false,
    );
    expect(replays.remember('call-0', 'sig', signedAt, signedAt)).toBe(true);
  });
});
