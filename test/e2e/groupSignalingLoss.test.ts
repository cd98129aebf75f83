import { testIds } from '../../renderer/ui/testIds';
import { startCuttableLink, type CuttableLink } from './harness/cuttableLink';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import { expectDecodingFrom } from './harness/groupCallMedia';
import { twoInAGroupCall } from './harness/groupCallSteps';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A group call outlives its signaling: the pages reach the server through a link the test cuts,
 * while their media goes to the SFU directly (as it would on a network where only the server's
 * WebSocket stalls). Steps are waited for, never timed.
 */
jest.setTimeout(420_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('groupSignalingLoss') });
let link: CuttableLink;

beforeAll(async () => {
  const server = new URL(env.serverUrl);
  link = await startCuttableLink({ host: server.hostname, port: Number(server.port) });
});

afterAll(async () => {
  await link?.close();
});

/** Whether `client` shows the microphone of the member called `name` as off. */
async function showsMuted(client: ParleyClient, name: string): Promise<boolean> {
  const tile = client.page.locator(
    `[data-testid="${testIds.callTile}"][data-source="camera"][data-self="false"]`,
    { hasText: name },
  );
  return (await tile.locator(`[data-testid="${testIds.callTileMuted}"]`).count()) > 0;
}

test('a group call goes on while the server connection is cut: it says so, and a mute made meanwhile arrives once it is back', async () => {
  const options = { url: link.url };
  const alice = await env.registeredClient('alice', 'Alice Liddell', options);
  const bob = await env.registeredClient('bob', 'Bob Marley', options);
  await twoInAGroupCall(alice, bob);
  await expectDecodingFrom(bob, 1, 'Bob, before the cut');
  await expect(alice.byTestId(testIds.signalingReconnecting).count()).resolves.toBe(0);

  // Nothing closes; the keep-alive notices. Both screens say so, and the media goes on.
  link.blackhole();
  await Promise.all([alice.waitForSignalingLost(true), bob.waitForSignalingLost(true)]);
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await expectDecodingFrom(alice, 1, 'Alice, while the server is out of reach');
  await expect(showsMuted(bob, 'Alice Liddell')).resolves.toBe(false);
  await expect(alice.byTestId(testIds.screenGroupCall).isVisible()).resolves.toBe(true);

  // Back: the notice goes, and Bob learns of the mute sent meanwhile.
  link.restore();
  await Promise.all([alice.waitForSignalingLost(false), bob.waitForSignalingLost(false)]);
  await pollUntil(
    () => showsMuted(bob, 'Alice Liddell'),
    (muted) => muted,
    "Bob to see Alice's microphone off",
  );
  await expectDecodingFrom(bob, 1, 'Bob, after the cut');

  // Leaving works again: Bob, left alone, sees the call end and is told why; Alice, who left,
  // is told nothing.
  await alice.click(testIds.leaveCallButton);
  await bob.byTestId(testIds.screenGroupCall).waitFor({ state: 'detached', timeout: 60_000 });
  await bob.waitForAttribute(testIds.groupCallEndNotice, 'data-reason', 'ended');
  await expect(bob.byTestId(testIds.groupCallEndNotice).innerText()).resolves.toContain(
    'The group call ended: everyone else left',
  );
  await expect(alice.byTestId(testIds.groupCallEndNotice).count()).resolves.toBe(0);
  await bob.byTestId(testIds.groupCallEndNotice).getByRole('button', { name: 'Dismiss' }).click();
  await bob.byTestId(testIds.groupCallEndNotice).waitFor({ state: 'detached' });
});
