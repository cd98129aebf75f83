import { NewDeviceLinkModel } from '../../../renderer/devices/NewDeviceLinkModel';
import { SessionModel } from '../../../renderer/state/SessionModel';
import {
  SIGN_OUT_ONLY_DEVICE_QUESTION,
  SIGN_OUT_QUESTION,
  SignOutModel,
} from '../../../renderer/state/SignOutModel';
import { device, signedInDevice } from '../devices/signedInDevice';

async function signedIn() {
  const signedInParts = await signedInDevice();
  const { host, client, devices } = signedInParts;
  const session = new SessionModel(host, client, new NewDeviceLinkModel(host));
  session.status.value = 'ready';
  return { ...signedInParts, session, signOut: new SignOutModel(client, devices, session) };
}

test('with another device left, signing out removes this one on the server, then forgets the account here', async () => {
  const { server, host, client, devices, session, signOut } = await signedIn();
  devices.show([device('device_0001', 'Desk', true), device('device_0002', 'Laptop', false)]);
  expect(signOut.question()).toBe(SIGN_OUT_QUESTION);
  expect(SIGN_OUT_QUESTION).toContain('its key is deleted; you can link it again later');
  expect(host.account).not.toBeNull();

  const leaving = signOut.signOut();
  const leave = await server.next('devices.leave');
  expect(leave).not.toHaveProperty('lastDevice');
  // Nothing is forgotten before the server has removed the device.
  expect(host.account).not.toBeNull();
  server.latest.push({ v: 1, type: 'ok', re: leave.id });
  await leaving;
  expect(host.account).toBeNull();
  expect(session.status.value).toBe('first_run');
  client.stop();
});

test("the account's only device says it becomes unreachable and sends lastDevice; a failed request forgets nothing", async () => {
  const { server, host, client, devices, signOut } = await signedIn();
  devices.show([device('device_0001', 'Desk', true)]);
  expect(signOut.question()).toBe(SIGN_OUT_ONLY_DEVICE_QUESTION);
  expect(SIGN_OUT_ONLY_DEVICE_QUESTION).toContain('unreachable');

  const leaving = signOut.signOut();
  const leave = await server.next('devices.leave');
  expect(leave.lastDevice).toBe(true);
  server.latest.push({
    v: 1,
    type: 'error',
    re: leave.id,
    code: 'internal',
    message: 'Something went wrong on the server.',
  });
  await leaving;
  expect(host.account).not.toBeNull();
  expect(signOut.error.value).toBe('Could not sign out. Check your connection and try again.');
  client.stop();
});

test('when the other devices are gone meanwhile, the server refuses: the list is reloaded and the warning shown', async () => {
  const { server, host, client, devices, signOut } = await signedIn();
  const desk = device('device_0001', 'Desk', true);
  devices.show([desk, device('device_0002', 'Laptop', false)]);
  const leaving = signOut.signOut();
  const leave = await server.next('devices.leave');
  server.latest.push({
    v: 1,
    type: 'error',
    re: leave.id,
    code: 'last_device',
    message: 'this is the only device of the account',
  });
  const list = await server.next('devices.list');
  server.latest.push({ v: 1, type: 'devices', re: list.id, devices: [desk] });
  await leaving;
  expect(host.account).not.toBeNull();
  expect(signOut.error.value).toContain("this is now your account's only device");
  expect(signOut.question()).toBe(SIGN_OUT_ONLY_DEVICE_QUESTION);
  client.stop();
});
