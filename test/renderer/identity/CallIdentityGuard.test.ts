import { randomBytes } from 'node:crypto';
import type { CallMedia, ContactPin, ServerMessageOf } from '../../../protocol';
import { CallIdentityGuard } from '../../../renderer/identity/CallIdentityGuard';
import { PinsModel } from '../../../renderer/identity/PinsModel';

const key = () => randomBytes(32).toString('base64');

function setup(pinned: ContactPin[], contacts: Record<string, string>) {
  let stored = [...pinned];
  const store = {
    getPins: async () => [...stored],
    putPin: async (pin: ContactPin) => {
      stored = [...stored.filter((p) => p.username !== pin.username), pin];
    },
  };
  const pins = new PinsModel(store, () => 7);
  const placed: { username: string; media: CallMedia }[] = [];
  const guard = new CallIdentityGuard({
    pins,
    knownIdentity: (username) => {
      const identityKey = contacts[username];
      return identityKey ? { displayName: username.toUpperCase(), identityKey } : null;
    },
    placeCall: async (username, media) => void placed.push({ username, media }),
  });
  return { guard, pins, placed, stored: () => stored };
}

function invite(callId: string, username: string, rootKey: string): ServerMessageOf<'call.invite'> {
  return {
    v: 1,
    type: 'call.invite',
    callId,
    from: {
      username,
      displayName: username,
      deviceId: 'device_0001',
      identity: [{ identityKey: rootKey, signature: null }],
    },
    media: 'video',
    sdp: 'v=0',
    keyShare: {
      ephemeralKey: key(),
      fingerprint: `sha-256 ${Array(32).fill('AB').join(':')}`,
      signedAt: Date.now(),
      signature: randomBytes(64).toString('base64'),
    },
  };
}

describe('CallIdentityGuard', () => {
  test('calling a contact whose key is unchanged calls at once and pins a first-seen key', async () => {
    const bobKey = key();
    const { guard, placed, stored } = setup([], { bob: bobKey });
    await guard.call('  Bob ', 'audio');
    expect(guard.warning.value).toBeNull();
    expect(placed).toEqual([{ username: 'bob', media: 'audio' }]);
    expect(stored()).toEqual([
      { username: 'bob', identityKey: bobKey, verified: false, firstSeenAt: 7 },
    ]);
  });

  test('a changed key warns instead of calling; cancel leaves the old pin and places no call', async () => {
    const oldKey = key();
    const newKey = key();
    const { guard, placed, stored } = setup(
      [{ username: 'bob', identityKey: oldKey, verified: true, firstSeenAt: 1 }],
      { bob: newKey },
    );
    await guard.call('bob', 'video');
    expect(guard.warning.value).toEqual({
      username: 'bob',
      displayName: 'BOB',
      identityKey: newKey,
      media: 'video',
    });
    expect(placed).toEqual([]);
    guard.cancel();
    expect(guard.warning.value).toBeNull();
    expect(placed).toEqual([]);
    expect(stored()[0]).toMatchObject({ identityKey: oldKey, verified: true });
  });

  test('continue re-pins the new key as unverified, then calls', async () => {
    const newKey = key();
    const { guard, pins, placed, stored } = setup(
      [{ username: 'bob', identityKey: key(), verified: true, firstSeenAt: 1 }],
      { bob: newKey },
    );
    await guard.call('bob', 'video');
    await guard.continueCall();
    expect(placed).toEqual([{ username: 'bob', media: 'video' }]);
    expect(stored()).toEqual([
      { username: 'bob', identityKey: newKey, verified: false, firstSeenAt: 7 },
    ]);
    expect(pins.identityStatus('bob', newKey)).toBe('same');
    // The next call goes straight through.
    await guard.call('bob', 'audio');
    expect(guard.warning.value).toBeNull();
    expect(placed).toHaveLength(2);
  });

  test('someone not in the contacts is called without a check here (the call path verifies)', async () => {
    const { guard, placed, stored } = setup([], {});
    await guard.call('stranger', 'audio');
    expect(placed).toEqual([{ username: 'stranger', media: 'audio' }]);
    expect(stored()).toEqual([]);
  });

  test('an incoming call from a caller whose root key changed is flagged; others are not', async () => {
    const bobKey = key();
    const { guard, pins } = setup(
      [{ username: 'bob', identityKey: bobKey, verified: false, firstSeenAt: 1 }],
      {},
    );
    await pins.load();
    const sameCall = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e51';
    const changedCall = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e52';
    const newCall = '6f1c2f0e-8a3b-4c55-9d7e-0b1a2c3d4e53';
    guard.onInvite(invite(sameCall, 'bob', bobKey));
    guard.onInvite(invite(changedCall, 'bob', key()));
    guard.onInvite(invite(newCall, 'carol', key()));
    expect(guard.incomingKeyChanged(sameCall)).toBe(false);
    expect(guard.incomingKeyChanged(changedCall)).toBe(true);
    expect(guard.incomingKeyChanged(newCall)).toBe(false);
  });
});
