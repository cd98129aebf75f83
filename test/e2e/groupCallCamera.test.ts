import { testIds } from '../../renderer/ui/testIds';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { decodedOf, expectVideoOf } from './harness/groupCallMedia';
import { threeInAGroupCall } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A camera turned on in a group voice call, in the app: real Chromium pages of the web client,
 * the real server and its SFU, every frame SFrame-encrypted by its sender. Waits have deadlines
 * for media on two busy cores.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupCallCamera') });

/** The slot of the client's own camera tile. */
async function ownSlot(client: ParleyClient): Promise<number> {
  const tile = client.page.locator(
    `[data-testid="${testIds.callTile}"][data-self="true"][data-source="camera"]`,
  );
  return Number(await tile.getAttribute('data-slot'));
}

test('in a group voice call one turns the camera on: the other two decode the video, encrypted end to end; off and on again, the same', async () => {
  // Alice starts a group voice call with Bob and Carol, who join from their invitations.
  const { alice, bob, carol } = await threeInAGroupCall(env, 'audio');
  const aliceSlot = await ownSlot(alice);
  for (const client of [bob, carol]) {
    await pollUntil(
      () => decodedOf(client, aliceSlot),
      (seen) => seen?.tileState === 'live' && seen.audioSamples > 0,
      `${client.username} hearing Alice`,
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(await decodedOf(client, aliceSlot)).toMatchObject({ videoFrames: 0, videoWidth: 0 });
  }

  // Alice switches to video from the call screen's control bar.
  await expect(alice.byTestId(testIds.cameraButton).getAttribute('aria-label')).resolves.toBe(
    'Switch to video',
  );
  await alice.click(testIds.cameraButton);
  await alice.waitForAttribute(testIds.cameraButton, 'aria-label', 'Turn camera off');
  for (const client of [bob, carol]) {
    await expectVideoOf(client, aliceSlot, `${client.username} seeing Alice's camera`);
  }

  // Off: her tiles show no picture; on again: the others decode her video again.
  await alice.click(testIds.cameraButton);
  await alice.waitForAttribute(testIds.cameraButton, 'aria-label', 'Turn camera on');
  for (const client of [bob, carol]) {
    await pollUntil(
      () => decodedOf(client, aliceSlot),
      (seen) => seen?.videoWidth === 0,
      `${client.username}'s tile of Alice without her picture`,
      { timeoutMs: 30_000 },
    );
  }
  await alice.click(testIds.cameraButton);
  await alice.waitForAttribute(testIds.cameraButton, 'aria-label', 'Turn camera off');
  for (const client of [bob, carol]) {
    await expectVideoOf(client, aliceSlot, `${client.username} seeing Alice's camera again`);
  }
});
