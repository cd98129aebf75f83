/** Conformance, from docs/protocol.md only: `devices.leave` ("Linked devices"). */
import { expectError, linkDevice, useServer } from './harness';

const h = useServer();

test('devices.leave removes the asking device: ok, gone from the list, it cannot log in', async () => {
  const alice = await h.newUser('alice');
  const phone = await linkDevice(h, alice);
  const r = await phone.c.request('devices.leave');
  expect(r).toEqual({ v: 1, type: 'ok', re: r.re });
  const list = await alice.c.request('devices.list');
  expect((list.devices as { deviceId: string }[]).map((d) => d.deviceId)).toEqual([alice.deviceId]);
  const again = await h.connect();
  const login = await again.login(phone.identity, phone.username, phone.deviceId);
  expectError(login, 'auth_failed');
});

test("the account's only device: last_device unless lastDevice is true", async () => {
  const alice = await h.newUser('alice');
  const refused = await alice.c.request('devices.leave');
  expectError(refused, 'last_device', refused.re as string);
  const list = await alice.c.request('devices.list');
  expect(list).toMatchObject({ devices: [{ deviceId: alice.deviceId, current: true }] });
  const left = await alice.c.request('devices.leave', { lastDevice: true });
  expect(left).toMatchObject({ type: 'ok' });
  const again = await h.connect();
  expectError(await again.login(alice.identity, alice.username, alice.deviceId), 'auth_failed');
});

test('lastDevice may only be true', async () => {
  const alice = await h.newUser('alice');
  const r = await alice.c.request('devices.leave', { lastDevice: false });
  expectError(r, 'bad_message', r.re as string);
});
