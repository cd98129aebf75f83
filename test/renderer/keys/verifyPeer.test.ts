import { createKeyShare } from '../../../renderer/keys/callKeyShare';
import { CallKeyAgreement } from '../../../renderer/keys/CallKeyAgreement';
import { IdentityVerificationError } from '../../../renderer/keys/IdentityVerificationError';
import { KeyShareReplayGuard } from '../../../renderer/keys/KeyShareReplayGuard';
import { sdpFingerprint } from '../../../renderer/keys/sdpFingerprint';
import { verifyPeer } from '../../../renderer/keys/verifyPeer';
import {
  MemoryPins,
  TestDevice,
  chainOf,
  randomFingerprint,
  sdpWithFingerprint,
} from './testIdentity';

const callId = '0d3c8a51-1111-4a4a-8b8b-222233334444';

/** Bob's phone (linked from his laptop) answers Alice's call. */
async function bobAnswers() {
  const laptop = await TestDevice.create('bob', 'device_b001');
  const phone = await TestDevice.create('bob', 'device_b002');
  const fingerprint = randomFingerprint();
  const sdp = sdpWithFingerprint(fingerprint);
  const context = { role: 'callee' as const, callId, username: 'bob', deviceId: 'device_b002' };
  const keyShare = await createKeyShare(
    phone,
    context,
    (await CallKeyAgreement.create()).publicKey,
    fingerprint,
  );
  const answer = {
    ...context,
    identity: await chainOf([laptop, phone]),
    keyShare,
    sdp,
  };
  return { laptop, answer };
}

/** Checks by the real clock (the share was just signed), each with its own replay memory. */
const checks = (allowChangedKey: boolean, now = Date.now()) => ({
  allowChangedKey,
  now,
  replays: new KeyShareReplayGuard(),
});

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'accepted',
    (error: unknown) => (error instanceof IdentityVerificationError ? error.reason : String(error)),
  );

describe('verifying the peer of a call', () => {
  test('a first call pins the root, unverified; the next one matches it', async () => {
    const { laptop, answer } = await bobAnswers();
    const pins = new MemoryPins();
    const now = Date.now();
    await expect(verifyPeer(answer, pins, checks(false, now))).resolves.toEqual({
      rootKey: laptop.identityKey,
      pin: 'first_use',
    });
    expect(pins.pins.get('bob')).toEqual({
      username: 'bob',
      identityKey: laptop.identityKey,
      verified: false,
      firstSeenAt: now,
    });
    // The same share again would be a replay: a later call's check is a fresh memory's here.
    await expect(verifyPeer(answer, pins, checks(false))).resolves.toMatchObject({ pin: 'match' });
  });

  test('a root other than the pinned one is refused, or reported where the user is warned', async () => {
    const { answer } = await bobAnswers();
    const pins = new MemoryPins();
    const oldRoot = (await TestDevice.create('bob', 'device_b000')).identityKey;
    await pins.putPin({ username: 'bob', identityKey: oldRoot, verified: true, firstSeenAt: 1 });
    expect(await refusal(verifyPeer(answer, pins, checks(false)))).toBe('key_changed');
    await expect(verifyPeer(answer, pins, checks(true))).resolves.toMatchObject({ pin: 'changed' });
    expect(pins.pins.get('bob')?.identityKey).toBe(oldRoot); // never re-pinned silently
  });

  test('an SDP whose fingerprint is not the signed one is refused, and nothing is pinned', async () => {
    const { answer } = await bobAnswers();
    const pins = new MemoryPins();
    const swapped = { ...answer, sdp: sdpWithFingerprint(randomFingerprint()) };
    expect(await refusal(verifyPeer(swapped, pins, checks(false)))).toBe('fingerprint_mismatch');
    expect(pins.pins.size).toBe(0);
  });

  test('a share signed by another key than the chain ends at is refused', async () => {
    const { laptop, answer } = await bobAnswers();
    const chainToLaptop = answer.identity.slice(0, 1);
    const result = refusal(
      verifyPeer({ ...answer, identity: chainToLaptop }, new MemoryPins(), checks(false)),
    );
    expect(await result).toBe('share_signature');
    expect(chainToLaptop[0]?.identityKey).toBe(laptop.identityKey);
  });

  test('a share presented as from another device id is refused', async () => {
    const { answer } = await bobAnswers();
    const moved = { ...answer, deviceId: 'device_b009' };
    expect(await refusal(verifyPeer(moved, new MemoryPins(), checks(false)))).toBe(
      'share_signature',
    );
  });
});

describe('SDP fingerprints', () => {
  test('the one SHA-256 fingerprint of an SDP, upper-cased as the protocol writes it', () => {
    const fingerprint = randomFingerprint();
    const lower = sdpWithFingerprint(fingerprint.toLowerCase().replace('sha-256', 'SHA-256'));
    expect(sdpFingerprint(lower)).toBe(fingerprint);
  });

  test('none, two different ones, or another hash give no fingerprint to trust', () => {
    const one = sdpWithFingerprint(randomFingerprint());
    expect(sdpFingerprint(one.replace(/a=fingerprint:[^\r]*\r\n/, ''))).toBeNull();
    expect(sdpFingerprint(`${one}a=fingerprint:${randomFingerprint()}\r\n`)).toBeNull();
    expect(sdpFingerprint(one.replace('sha-256', 'sha-1'))).toBeNull();
  });
});
