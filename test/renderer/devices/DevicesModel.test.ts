import { device, signedInDevice } from './signedInDevice';

describe('the device list', () => {
  test('lists this device first and removes another one', async () => {
    const { server, client, devices } = await signedInDevice();
    const desk = device('device_0001', 'Desk', true);
    const laptop = device('device_0002', 'Laptop', false);
    const loading = devices.load();
    const list = await server.next('devices.list');
    server.latest.push({ v: 1, type: 'devices', re: list.id, devices: [laptop, desk] });
    await loading;
    expect(devices.devices.value.map((d) => d.deviceName)).toEqual(['Desk', 'Laptop']);

    const removing = devices.remove('device_0002');
    const remove = await server.next('devices.remove');
    expect(remove.deviceId).toBe('device_0002');
    server.latest.push({ v: 1, type: 'devices', re: remove.id, devices: [desk] });
    await removing;
    expect(devices.devices.value).toEqual([desk]);
    client.stop();
  });

  test('a refused removal shows why and keeps the list', async () => {
    const { server, client, devices } = await signedInDevice();
    devices.show([device('device_0001', 'Desk', true), device('device_0002', 'Laptop', false)]);
    const removing = devices.remove('device_0002');
    const remove = await server.next('devices.remove');
    server.latest.push({
      v: 1,
      type: 'error',
      re: remove.id,
      code: 'unknown_device',
      message: 'No such device on this account.',
    });
    await removing;
    expect(devices.error.value).toBe('No such device on this account.');
    expect(devices.devices.value).toHaveLength(2);
    client.stop();
  });
});
