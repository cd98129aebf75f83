import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import type { InboundMedia } from '../e2e/harness/peerConnectionTracker';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { pollUntil } from '../e2e/harness/pollUntil';
import { readSelectedPair } from './harness/iceStats';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';

// Two Chromiums, coturn and a server on two shared cores: steps are waited for, never timed.
jest.setTimeout(300_000);

/** ICE restart retries for 30 s before giving up; recovery must come within that. */
const RECOVERY_TIMEOUT_MS = 45_000;

let lab: LabEnvironment;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  lab = await LabEnvironment.start();
  ({ alice, bob } = await lab.contactsAliceAndBob());
});

afterAll(async () => {
  await lab?.close();
});

/** Video decodes again (30 frames more than `before`, or on a new connection) within the deadline. */
async function waitForMediaBack(
  client: ParleyClient,
  who: string,
  before: InboundMedia,
): Promise<void> {
  await pollUntil(
    () => client.readInboundMedia(),
    (media) =>
      media.connections > before.connections ||
      media.videoFramesDecoded > before.videoFramesDecoded + 30,
    `${who}'s video to be decoded again`,
    { timeoutMs: RECOVERY_TIMEOUT_MS },
  );
}

test("Alice's link down for 5 s: video stops, and decodes again on both sides once it is back", async () => {
  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);

  const dropped = lab.network.dropLinkFor('a', 5_000);
  // A second in, nothing gets through any more (a frame or two may still be in the decoder).
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const stalled = await Promise.all([alice, bob].map((client) => client.readInboundMedia()));
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const stillStalled = await Promise.all([alice, bob].map((client) => client.readInboundMedia()));
  stalled.forEach((media, i) => {
    expect(stillStalled[i]!.videoFramesDecoded - media.videoFramesDecoded).toBeLessThan(3);
  });
  await dropped;

  await Promise.all([
    waitForMediaBack(alice, 'Alice', stillStalled[0]!),
    waitForMediaBack(bob, 'Bob', stillStalled[1]!),
  ]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  await expectMediaStillFlowing([alice, bob]);
  await hangUp(alice, bob);
});

test('Alice moves to another subnet mid-call: ICE restarts on her new address and video decodes again on both sides', async () => {
  await startVideoCall(bob, alice);
  await expectMediaStillFlowing([alice, bob]);

  const before = await Promise.all([alice.readInboundMedia(), bob.readInboundMedia()]);
  const newAddress = lab.network.moveToNewSubnet('a');
  await pollUntil(
    () => readSelectedPair(alice.page),
    (pair) => pair?.local.address === newAddress,
    "Alice's connection to use her new address",
    { timeoutMs: RECOVERY_TIMEOUT_MS },
  );
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
  await Promise.all([
    waitForMediaBack(alice, 'Alice', before[0]!),
    waitForMediaBack(bob, 'Bob', before[1]!),
  ]);
  await expectMediaStillFlowing([alice, bob]);
  await hangUp(bob, alice);
});
