import { testIds } from '../../renderer/ui/testIds';
import { liveTrackLabels, simulateDeviceUnplugging, unplug } from './harness/deviceSimulator';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

jest.setTimeout(180_000);

// Three fake cameras; fake_device_1 gives Y16 depth frames, so the tests choose fake_device_2.
const env = fileEnvironment({ cameras: 3 }, { closeClientsAfterEach: true });

/** The options of a device <select>: value and label. */
function options(client: ParleyClient, selectId: string) {
  return client
    .byTestId(selectId)
    .locator('option')
    .evaluateAll((elements) =>
      elements.map((e) => ({ value: (e as HTMLOptionElement).value, label: e.textContent ?? '' })),
    );
}

async function openSettings(client: ParleyClient): Promise<void> {
  await client.click(testIds.navSettings);
  await client.waitForScreen(testIds.screenSettings);
}

function previewCameraLabel(client: ParleyClient): Promise<string> {
  return client.byTestId(testIds.cameraPreview).evaluate((element) => {
    const stream = (element as HTMLVideoElement).srcObject as MediaStream | null;
    return stream?.getVideoTracks()[0]?.label ?? '';
  });
}

test('settings lists the devices, shows the camera and a moving mic level, and keeps the choice across a reload', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  await openSettings(alice);

  const cameras = await pollUntil(
    () => options(alice, testIds.cameraSelect),
    (list) => list.some((o) => o.label === 'fake_device_2'),
    'the fake cameras to be listed',
  );
  expect(cameras.map((o) => o.label)).toEqual([
    'System default',
    'fake_device_0',
    'fake_device_1',
    'fake_device_2',
  ]);
  const mics = await options(alice, testIds.micSelect);
  expect(mics.map((o) => o.label)).toEqual(
    expect.arrayContaining(['Fake Audio Input 1', 'Fake Audio Input 2']),
  );
  await expect(alice.byTestId(testIds.speakerSelect).count()).resolves.toBe(1);

  // The fake microphone beeps: the meter must move, not sit at one value.
  const levels = new Set<string>();
  await pollUntil(
    async () => {
      levels.add((await alice.byTestId(testIds.micLevel).getAttribute('data-level')) ?? '0');
      return levels;
    },
    (seen) => [...seen].some((level) => Number(level) > 0) && seen.size >= 2,
    'the mic level to move',
  );
  await pollUntil(
    () => previewCameraLabel(alice),
    (label) => label === 'fake_device_0',
    'the camera preview to show the default camera',
  );

  const camera2 = cameras.find((o) => o.label === 'fake_device_2')!.value;
  const mic2 = mics.find((o) => o.label === 'Fake Audio Input 2')!.value;
  await alice.byTestId(testIds.cameraSelect).selectOption(camera2);
  await alice.byTestId(testIds.micSelect).selectOption(mic2);
  await pollUntil(
    () => previewCameraLabel(alice),
    (label) => label === 'fake_device_2',
    'the preview to switch to the chosen camera',
  );

  await alice.page.reload();
  await alice.waitForScreen(testIds.screenContacts);
  await openSettings(alice);
  await pollUntil(
    () => alice.byTestId(testIds.cameraSelect).inputValue(),
    (value) => value === camera2,
    'the chosen camera to be selected after the reload',
  );
  await expect(alice.byTestId(testIds.micSelect).inputValue()).resolves.toBe(mic2);
  await pollUntil(
    () => previewCameraLabel(alice),
    (label) => label === 'fake_device_2',
    'the preview to use the chosen camera after the reload',
  );
});

test('a camera unplugged mid-call falls back to the default camera with a notice, and the call goes on', async () => {
  const options = { initScripts: [simulateDeviceUnplugging] };
  const alice = await env.registeredClient('alice2', 'Alice Two', options);
  const bob = await env.registeredClient('bob2', 'Bob Two', options);
  await alice.addContact('bob2');
  // The callee has not added the caller, so the caller sees them offline (presence is shared
  // only with people one has added); they are signed in since their registration finished.
  await alice.waitForPresence('bob2', 'offline');

  // Alice chooses the second camera; the call opens it.
  await openSettings(alice);
  const cameras = await pollUntil(
    () => alice.byTestId(testIds.cameraSelect).locator('option').allTextContents(),
    (labels) => labels.includes('fake_device_2'),
    'the third camera to be listed',
  );
  expect(cameras).toContain('fake_device_2');
  await alice.byTestId(testIds.cameraSelect).selectOption({ label: 'fake_device_2' });
  await alice.click(testIds.navContacts);

  await alice.callContact('bob2');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await expect(liveTrackLabels(alice.page, 'video')).resolves.toEqual(['fake_device_2']);
  await bob.waitForInboundMedia();

  expect(await unplug(alice.page, 'fake_device_2')).toBe(1);
  await alice.waitForAttribute(testIds.deviceNotice, 'data-kind', 'fallback');
  await expect(alice.byTestId(testIds.deviceNotice).first().innerText()).resolves.toContain(
    'Your camera was disconnected; using the default camera',
  );
  await pollUntil(
    () => liveTrackLabels(alice.page, 'video'),
    (labels) => labels.length === 1 && labels[0] === 'fake_device_0',
    'the call to move to the default camera',
  );

  // Still in the call, and Bob keeps decoding Alice's video after the fallback.
  await expect(alice.byTestId(testIds.screenInCall).isVisible()).resolves.toBe(true);
  const before = await bob.readInboundMedia();
  await pollUntil(
    () => bob.readInboundMedia(),
    (media) => media.videoFramesDecoded > before.videoFramesDecoded + 30,
    'Bob to keep decoding video after the fallback',
  );
  await alice.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
});
