import { RelayUnavailableError } from '../../../renderer/call/iceConfiguration';
import { CallPrivacy } from '../../../renderer/state/CallPrivacy';

const TURN = {
  servers: [{ urls: ['turn:turn.example.com:3478'], username: '1:1', credential: 'x' }],
  expiresAt: 1000,
};

function privacy(storage = new Map<string, string>()) {
  const store = {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  };
  const model = new CallPrivacy(store, (username) => username === 'bob');
  model.useIceServers(TURN);
  return { model, storage };
}

test('by default calls with contacts may go direct; calls with anyone else are relayed', () => {
  const { model } = privacy();
  model.load('alice');
  expect(model.networkFor('bob').iceTransportPolicy).toBeUndefined();
  expect(model.networkFor('mallory').iceTransportPolicy).toBe('relay');
});

test('"protect my IP address" relays every call, and is remembered per account', () => {
  const { model, storage } = privacy();
  model.load('alice');
  model.setAlwaysRelay(true);
  expect(model.networkFor('bob').iceTransportPolicy).toBe('relay');

  const again = privacy(storage).model;
  again.load('alice');
  expect(again.alwaysRelay.value).toBe(true);
  again.load('carol');
  expect(again.alwaysRelay.value).toBe(false);
});

test('the newest servers (ice.servers) are the ones used', () => {
  const { model } = privacy();
  model.load('alice');
  const fresh = { ...TURN, servers: [{ ...TURN.servers[0]!, username: '2:1' }], expiresAt: 2000 };
  model.useIceServers(fresh);
  expect(model.networkFor('bob').iceServers).toEqual(fresh.servers);
});

test('with the setting on, a server without TURN makes calls fail with a clear error', () => {
  const { model } = privacy();
  model.load('alice');
  model.setAlwaysRelay(true);
  model.useIceServers({ servers: [], expiresAt: null });
  expect(() => model.networkFor('bob')).toThrow(RelayUnavailableError);
  expect(() => model.networkFor('mallory')).toThrow(/relay/);
});

test('with the setting off, a server without TURN (local mode) still connects non-contacts', () => {
  const { model } = privacy();
  model.load('alice');
  model.useIceServers({ servers: [], expiresAt: null });
  expect(model.networkFor('mallory')).toEqual({ iceServers: [] });
});

test('connecting while a call rings: a stranger’s call only through the relay, and not at all without one', () => {
  const { model } = privacy();
  model.load('alice');
  expect(model.preconnectNetworkFor('bob')?.iceTransportPolicy).toBeUndefined();
  expect(model.preconnectNetworkFor('mallory')?.iceTransportPolicy).toBe('relay');
  model.useIceServers({ servers: [{ urls: ['stun:stun.example.com:3478'] }], expiresAt: null });
  // No relay: a contact's call still pre-connects directly, a stranger's waits for the answer.
  expect(model.preconnectNetworkFor('bob')).not.toBeNull();
  expect(model.preconnectNetworkFor('mallory')).toBeNull();
  model.setAlwaysRelay(true);
  expect(model.preconnectNetworkFor('bob')).toBeNull();
});
