import { testIds } from '../../renderer/ui/testIds';
import { liveTrackLabels, simulateDeviceUnplugging, unplug } from './harness/deviceSimulator';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import { twoInAGroupCall } from './harness/groupCallSteps';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * The microphone and camera of a group call, changed from its call screen: real Chromium pages
 * with three fake cameras (fake_device_1 gives depth frames, so the test picks fake_device_2),
 * the real server and its SFU, every frame SFrame-encrypted.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallDevices'), cameras: 3 });

test('in a group call, a camera chosen from the call screen is what the others see, and an unplugged one falls back to the default', async () => {
  const options = { initScripts: [simulateDeviceUnplugging] };
  const alice = await env.registeredClient('alice', 'Alice Liddell', options);
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await twoInAGroupCall(alice, bob);
  await expectDecodingFrom(bob, 1, 'Bob, before the camera changes');
  await expect(liveTrackLabels(alice.page, 'video')).resolves.toEqual(['fake_device_0']);

  // Alice opens the devices from the group call's control bar and picks another camera.
  await alice.click(testIds.inCallDevicesButton);
  await alice.byTestId(testIds.cameraSelect).selectOption({ label: 'fake_device_2' });
  await pollUntil(
    () => liveTrackLabels(alice.page, 'video'),
    (labels) => labels.length === 1 && labels[0] === 'fake_device_2',
    'the group call to send the chosen camera, the old one released',
  );
  await expectDecodingFrom(bob, 1, 'Bob, after the camera changed');

  // That camera goes away: a notice, the default camera, and Bob keeps seeing and hearing her.
  expect(await unplug(alice.page, 'fake_device_2')).toBe(1);
  await alice.waitForAttribute(testIds.deviceNotice, 'data-kind', 'fallback');
  await expect(alice.byTestId(testIds.deviceNotice).first().innerText()).resolves.toContain(
    'Your camera was disconnected; using the default camera',
  );
  await pollUntil(
    () => liveTrackLabels(alice.page, 'video'),
    (labels) => labels.length === 1 && labels[0] === 'fake_device_0',
    'the group call to move to the default camera',
  );
  await expectDecodingFrom(bob, 1, 'Bob, after the fallback');
  await expect(alice.byTestId(testIds.screenGroupCall).isVisible()).resolves.toBe(true);
});
