import {
  KEY_SHARE_MAX_AGE_MS,
  KEY_SHARE_MAX_FUTURE_MS,
  MemberKeyShare,
  memberKeyShareText,
} from '../../../protocol';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import { createMemberKeyShare, verifyMemberKeyShare } from '../../../renderer/keys/memberKeyShare';
import { verifyMember } from '../../../renderer/keys/verifyMember';
import { MemoryPins, TestDevice, chainOf, randomFingerprint } from './testIdentity';

const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/** Carol's member share for `slot`, signed by her device at `signedAt` (its clock). */
async function carolShare(slot = 2, signedAt = Date.now()) {
  const carol = await TestDevice.create('carol', 'device_c001');
  carol.clock = () => signedAt;
  const context = { callId, slot, username: 'carol', deviceId: 'device_c001' };
  const ephemeralKey = (await CallKeyAgreement.create()).publicKey;
  const share = await createMemberKeyShare(carol, context, ephemeralKey);
  return { carol, context, share };
}

const fresh = (now = Date.now()) => ({ now, replays: new KeyShareReplayGuard() });

const verdict = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );

describe('member key shares', () => {
  test('the signed text is exactly the documented one', () => {
    expect(
      memberKeyShareText({
        callId,
        slot: 2,
        username: 'carol',
        deviceId: 'device_c001',
        ephemeralKey: 'K'.repeat(43) + '=',
        signedAt: 1_764_093_900_000,
      }),
    ).toBe(
      `parley-room-share-v1\n${callId}\n2\ncarol\ndevice_c001\n${'K'.repeat(43)}=\n1764093900000`,
    );
  });

  test('a share carries its slot and passes the wire schema', async () => {
    const { share } = await carolShare(5);
    expect(share.slot).toBe(5);
    expect(MemberKeyShare.parse(share)).toEqual(share);
    expect(MemberKeyShare.safeParse({ ...share, fingerprint: randomFingerprint() }).success).toBe(
      false,
    );
    expect(MemberKeyShare.safeParse({ ...share, slot: 65_536 }).success).toBe(false);
  });

  test('a share verifies for exactly its member, slot and call', async () => {
    const { carol, context, share } = await carolShare();
    expect(await verdict(verifyMemberKeyShare(share, context, carol.identityKey, fresh()))).toBe(
      'accepted',
    );
  });

  test('a share signed for slot 2 does not verify as slot 3, even with its slot field changed', async () => {
    const { carol, context, share } = await carolShare(2);
    const asSlot3 = { ...context, slot: 3 };
    expect(await verdict(verifyMemberKeyShare(share, asSlot3, carol.identityKey, fresh()))).toBe(
      'slot_mismatch',
    );
    expect(
      await verdict(
        verifyMemberKeyShare({ ...share, slot: 3 }, asSlot3, carol.identityKey, fresh()),
      ),
    ).toBe('share_signature');
  });

  test.each([
    ['call id', { callId: '0d3c8a51-1111-4a4a-8b8b-999999999999' }],
    ['username', { username: 'mallory' }],
    ['device id', { deviceId: 'device_m001' }],
  ])('a share presented with another %s is refused', async (_field, change) => {
    const { carol, context, share } = await carolShare();
    expect(
      await verdict(
        verifyMemberKeyShare(share, { ...context, ...change }, carol.identityKey, fresh()),
      ),
    ).toBe('share_signature');
  });

  test("a swapped ephemeral key, signing time or another device's key is refused", async () => {
    const { carol, context, share } = await carolShare();
    const mallory = await TestDevice.create('carol', 'device_c002');
    const swapped = { ...share, ephemeralKey: (await CallKeyAgreement.create()).publicKey };
    for (const [tampered, key] of [
      [swapped, carol.identityKey],
      [{ ...share, signedAt: share.signedAt + 1 }, carol.identityKey],
      [share, mallory.identityKey],
    ] as const) {
      expect(await verdict(verifyMemberKeyShare(tampered, context, key, fresh()))).toBe(
        'share_signature',
      );
    }
  });

  describe('freshness', () => {
    const signedAt = Date.UTC(2026, 11, 7, 1, 0, 0);

    test('accepted at both edges of the window', async () => {
      const { carol, context, share } = await carolShare(2, signedAt);
      for (const now of [signedAt + KEY_SHARE_MAX_AGE_MS, signedAt - KEY_SHARE_MAX_FUTURE_MS]) {
        expect(
          await verdict(verifyMemberKeyShare(share, context, carol.identityKey, fresh(now))),
        ).toBe('accepted');
      }
    });

    test('refused as stale past 5 minutes, and from more than 1 minute in the future', async () => {
      const { carol, context, share } = await carolShare(2, signedAt);
      for (const now of [
        signedAt + KEY_SHARE_MAX_AGE_MS + 1,
        signedAt - KEY_SHARE_MAX_FUTURE_MS - 1,
      ]) {
        expect(
          await verdict(verifyMemberKeyShare(share, context, carol.identityKey, fresh(now))),
        ).toBe('share_stale');
      }
    });

    test('refused when presented a second time in the same call', async () => {
      const { carol, context, share } = await carolShare();
      const checks = fresh();
      expect(await verdict(verifyMemberKeyShare(share, context, carol.identityKey, checks))).toBe(
        'accepted',
      );
      expect(await verdict(verifyMemberKeyShare(share, context, carol.identityKey, checks))).toBe(
        'share_replayed',
      );
    });
  });
});

describe('verifying a member', () => {
  async function offerOf(devices: TestDevice[], slot = 2) {
    const device = devices.at(-1) as TestDevice;
    const context = { callId, slot, username: device.username, deviceId: device.deviceId };
    const ephemeralKey = (await CallKeyAgreement.create()).publicKey;
    const keyShare = await createMemberKeyShare(device, context, ephemeralKey);
    return { ...context, identity: await chainOf(devices), keyShare };
  }
  const options = () => ({ allowChangedKey: false, ...fresh() });

  test('a linked device of an account passes its chain and share, and its root is pinned on first use', async () => {
    const root = await TestDevice.create('carol', 'device_c001');
    const laptop = await TestDevice.create('carol', 'device_c002');
    const pins = new MemoryPins();
    const identity = await verifyMember(await offerOf([root, laptop]), pins, options());
    expect(identity).toEqual({ rootKey: root.identityKey, pin: 'first_use' });
    expect(pins.pins.get('carol')?.identityKey).toBe(root.identityKey);
    expect(await verifyMember(await offerOf([root, laptop]), pins, options())).toEqual({
      rootKey: root.identityKey,
      pin: 'match',
    });
  });

  test('a share signed by a device outside the chain is refused and nothing is pinned', async () => {
    const root = await TestDevice.create('carol', 'device_c001');
    const outsider = await TestDevice.create('carol', 'device_c009');
    const offer = { ...(await offerOf([outsider])), identity: await chainOf([root]) };
    const pins = new MemoryPins();
    expect(await verdict(verifyMember(offer, pins, options()))).toBe('share_signature');
    expect(pins.pins.size).toBe(0);
  });

  test('a changed root is refused unless allowed, then reported', async () => {
    const pins = new MemoryPins();
    const old = await TestDevice.create('carol', 'device_c001');
    await verifyMember(await offerOf([old]), pins, options());
    const offer = await offerOf([await TestDevice.create('carol', 'device_c001')]);
    expect(await verdict(verifyMember(offer, pins, options()))).toBe('key_changed');
    expect((await verifyMember(offer, pins, { ...options(), allowChangedKey: true })).pin).toBe(
      'changed',
    );
  });
});
