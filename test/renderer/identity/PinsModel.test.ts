import { randomBytes } from 'node:crypto';
import type { ContactPin } from '../../../protocol';
import { PinsModel } from '../../../renderer/identity/PinsModel';

/** The pin store part of a Host, in memory: the same shape IndexedDB and main keep. */
class MemoryPinStore {
  pins: ContactPin[] = [];
  async getPins() {
    return this.pins.map((pin) => ({ ...pin }));
  }
  async putPin(pin: ContactPin) {
    this.pins = [...this.pins.filter((p) => p.username !== pin.username), { ...pin }];
  }
}

const key = () => randomBytes(32).toString('base64');

async function loadedModel(store: MemoryPinStore, now = () => 1_000) {
  const model = new PinsModel(store, now);
  await model.load();
  return model;
}

describe('PinsModel', () => {
  test('a key seen for the first time is new, then pinned unverified and the same', async () => {
    const store = new MemoryPinStore();
    const pins = await loadedModel(store);
    const bobKey = key();
    expect(pins.identityStatus('bob', bobKey)).toBe('new');
    await expect(pins.pinIfNew('bob', bobKey)).resolves.toBe('new');
    expect(pins.identityStatus('bob', bobKey)).toBe('same');
    expect(store.pins).toEqual([
      { username: 'bob', identityKey: bobKey, verified: false, firstSeenAt: 1_000 },
    ]);
  });

  test('a different key is reported as changed and is not pinned over the old one', async () => {
    const store = new MemoryPinStore();
    const oldKey = key();
    store.pins = [{ username: 'bob', identityKey: oldKey, verified: true, firstSeenAt: 5 }];
    const pins = await loadedModel(store);
    const newKey = key();
    expect(pins.identityStatus('bob', newKey)).toBe('changed');
    await expect(pins.pinIfNew('bob', newKey)).resolves.toBe('changed');
    expect(store.pins[0]?.identityKey).toBe(oldKey);
    expect(pins.isVerified('bob', oldKey)).toBe(true);
    expect(pins.isVerified('bob', newKey)).toBe(false);
  });

  test('accepting a changed key pins it and clears verified', async () => {
    const store = new MemoryPinStore();
    store.pins = [{ username: 'bob', identityKey: key(), verified: true, firstSeenAt: 5 }];
    const pins = await loadedModel(store, () => 9_000);
    const newKey = key();
    await pins.acceptChangedKey('bob', newKey);
    expect(pins.identityStatus('bob', newKey)).toBe('same');
    expect(store.pins).toEqual([
      { username: 'bob', identityKey: newKey, verified: false, firstSeenAt: 9_000 },
    ]);
  });

  test('verifying is saved through the host and survives a reload; unverifying too', async () => {
    const store = new MemoryPinStore();
    const bobKey = key();
    const pins = await loadedModel(store);
    await pins.pinIfNew('bob', bobKey);
    await pins.setVerified('bob', bobKey, true);
    expect(pins.isVerified('bob', bobKey)).toBe(true);

    const afterRestart = await loadedModel(store);
    expect(afterRestart.isVerified('bob', bobKey)).toBe(true);
    expect(afterRestart.get('bob')?.firstSeenAt).toBe(1_000);

    await afterRestart.setVerified('bob', bobKey, false);
    expect((await loadedModel(store)).isVerified('bob', bobKey)).toBe(false);
  });

  test('verifying a contact never pinned pins the compared key as verified', async () => {
    const store = new MemoryPinStore();
    const pins = await loadedModel(store);
    const carolKey = key();
    await pins.setVerified('carol', carolKey, true);
    expect(store.pins).toEqual([
      { username: 'carol', identityKey: carolKey, verified: true, firstSeenAt: 1_000 },
    ]);
  });

  test('pins of one contact do not touch another', async () => {
    const store = new MemoryPinStore();
    const pins = await loadedModel(store);
    const [bobKey, carolKey] = [key(), key()];
    await pins.pinAllNew([
      { username: 'bob', identityKey: bobKey },
      { username: 'carol', identityKey: carolKey },
    ]);
    await pins.setVerified('bob', bobKey, true);
    expect(pins.isVerified('carol', carolKey)).toBe(false);
    expect(pins.identityStatus('carol', bobKey)).toBe('changed');
  });

  test('pins written through the model as a pin store show at once', async () => {
    const store = new MemoryPinStore();
    const pins = await loadedModel(store);
    const bobKey = key();
    await pins.putPin({ username: 'bob', identityKey: bobKey, verified: false, firstSeenAt: 2 });
    expect(pins.identityStatus('bob', bobKey)).toBe('same');
    await expect(pins.getPins()).resolves.toHaveLength(1);
    expect(store.pins).toHaveLength(1);
  });
});
