import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { pollUntil } from '../e2e/harness/pollUntil';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';

// Two Chromiums, coturn and a server on two shared cores: steps are waited for, never timed.
jest.setTimeout(300_000);

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

function safetyNumber(client: ParleyClient): Promise<string> {
  return client.byTestId(testIds.safetyNumber).first().innerText();
}

test('Alice reloads her page mid-call: she is back in the call by herself, video decodes on both sides, and the safety number is the same', async () => {
  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);
  const before = { alice: await safetyNumber(alice), bob: await safetyNumber(bob) };
  expect(before.alice).toMatch(/\d{5}/);

  const bobConnections = (await bob.readInboundMedia()).connections;
  await alice.page.reload();
  await alice.waitForInCall();
  // Bob's side takes Alice's rejoin on a new connection, keeping his camera and microphone.
  await pollUntil(
    () => bob.readInboundMedia(),
    (media) => media.connections > bobConnections && media.videoFramesDecoded > 0,
    "video decoded on Bob's new connection",
  );
  await expectMediaStillFlowing([alice, bob]);
  // Bob never left the call: no notice of its end, the same call screen throughout.
  await expect(bob.byTestId(testIds.screenInCall).isVisible()).resolves.toBe(true);
  await expect(bob.byTestId(testIds.callNotice).count()).resolves.toBe(0);
  expect(await safetyNumber(alice)).toBe(before.alice);
  expect(await safetyNumber(bob)).toBe(before.bob);

  await hangUp(bob, alice);
});
