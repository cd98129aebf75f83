import { randomUUID } from 'node:crypto';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
let alice: TestClient;
let alicePhone: TestClient;
beforeEach(async () => {
  server = await TestServer.start();
  alice = await server.registered('alice');
  alicePhone = await server.linkedDevice(alice, 'phone');
});
afterEach(() => server.dispose());

test('devices.list shows every device of the account, which are online and which is asking', async () => {
  const bob = await server.registered('bob');
  await alicePhone.signOut();
  const reply = await alice.request({ type: 'devices.list' });
  expect(reply).toMatchObject({
    type: 'devices',
    devices: [
      { deviceId: alice.deviceId, deviceName: 'test device', online: true, current: true },
      { deviceId: alicePhone.deviceId, deviceName: 'phone', online: false, current: false },
    ],
  });
  if (reply.type !== 'devices') throw new Error('no devices');
  for (const device of reply.devices) expect(device.createdAt).toBeLessThanOrEqual(Date.now());
  expect(await bob.request({ type: 'devices.list' })).toMatchObject({
    devices: [{ deviceId: bob.deviceId, current: true }],
  });
});

test('removing a device in a call: it is told, disconnected with 4003, its call ends, it cannot sign in again', async () => {
  const bob = await server.registered('bob');
  const callId = randomUUID();
  await alicePhone.invite(callId, 'bob');
  await bob.nextOf('call.invite', callId);
  bob.accept(callId);
  await alicePhone.nextOf('call.accept', callId);

  const reply = await alice.request({ type: 'devices.remove', deviceId: alicePhone.deviceId });
  expect(reply).toMatchObject({ type: 'devices', devices: [{ deviceId: alice.deviceId }] });
  if (reply.type === 'devices') expect(reply.devices).toHaveLength(1);

  expect(await alicePhone.nextOf('session.revoked')).toEqual({
    v: 1,
    type: 'session.revoked',
    reason: 'device_removed',
    seq: expect.any(Number),
  });
  expect(await alicePhone.closed).toMatchObject({ code: 4003 });
  expect(await bob.nextOf('call.hangup', callId)).toMatchObject({ reason: 'connection_lost' });

  const login = await server.client();
  expect(await login.login('alice', alicePhone.deviceId, alicePhone.keys)).toMatchObject({
    code: 'auth_failed',
  });
  const resume = await server.client();
  expect(await resume.resume(alicePhone)).toMatchObject({
    code: 'session_invalid',
  });
  // The account itself is untouched.
  expect(await alice.request({ type: 'calllog.list' })).toMatchObject({
    entries: [{ callId, outcome: 'answered' }],
  });
});

test('a device that dropped (away) can be removed too, and then cannot log in', async () => {
  await alicePhone.close();
  expect(
    await alice.request({ type: 'devices.remove', deviceId: alicePhone.deviceId }),
  ).toMatchObject({ type: 'devices' });
  const login = await server.client();
  expect(await login.login('alice', alicePhone.deviceId, alicePhone.keys)).toMatchObject({
    code: 'auth_failed',
  });
});

test('a device cannot remove itself, nor an unknown device or another account’s', async () => {
  const bob = await server.registered('bob');
  expect(await alice.request({ type: 'devices.remove', deviceId: alice.deviceId })).toMatchObject({
    code: 'device_is_current',
  });
  expect(await alice.request({ type: 'devices.remove', deviceId: bob.deviceId })).toMatchObject({
    code: 'unknown_device',
  });
  expect(await alice.request({ type: 'devices.remove', deviceId: 'no-such-device' })).toMatchObject(
    { code: 'unknown_device' },
  );
  expect(await bob.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
  expect(await alice.request({ type: 'devices.list' })).toMatchObject({
    devices: [{ deviceId: alice.deviceId }, { deviceId: alicePhone.deviceId, online: true }],
  });
});

test('devices certified by a removed device keep their chain and can still sign in', async () => {
  const tablet = await server.linkedDevice(alicePhone, 'tablet');
  await alice.request({ type: 'devices.remove', deviceId: alicePhone.deviceId });
  await alicePhone.closed;
  await tablet.close();

  const again = await server.client();
  expect(await again.login('alice', tablet.deviceId, tablet.keys)).toMatchObject({
    type: 'session',
  });
  const bob = await server.registered('bob');
  const callId = randomUUID();
  await again.invite(callId, 'bob');
  const invite = await bob.nextOf('call.invite', callId);
  expect(invite.from.identity.map((link) => link.identityKey)).toEqual([
    alice.keys.identityKey,
    alicePhone.keys.identityKey,
    tablet.keys.identityKey,
  ]);
});

test('devices.leave: a device signs itself out for good; the others see it gone', async () => {
  expect(await alicePhone.request({ type: 'devices.leave' })).toMatchObject({ type: 'ok' });
  const list = await alice.request({ type: 'devices.list' });
  expect(list.type === 'devices' && list.devices.map((d) => d.deviceId)).toEqual([alice.deviceId]);
  const again = await server.client();
  expect(await again.login('alice', alicePhone.deviceId, alicePhone.keys)).toMatchObject({
    type: 'error',
    code: 'auth_failed',
  });
});

test("devices.leave of the account's only device is refused unless it says lastDevice", async () => {
  await alicePhone.request({ type: 'devices.leave' });
  expect(await alice.request({ type: 'devices.leave' })).toMatchObject({
    type: 'error',
    code: 'last_device',
  });
  // Refused: still signed in and listed.
  expect(await alice.request({ type: 'devices.list' })).toMatchObject({
    devices: [{ deviceId: alice.deviceId }],
  });
  expect(await alice.request({ type: 'devices.leave', lastDevice: true })).toMatchObject({
    type: 'ok',
  });
  const again = await server.client();
  expect(await again.login('alice', alice.deviceId, alice.keys)).toMatchObject({
    type: 'error',
    code: 'auth_failed',
  });
});
