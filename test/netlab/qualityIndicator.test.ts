import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { pollUntil } from '../e2e/harness/pollUntil';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';
import { readOutboundVideo } from './harness/mediaStats';

// Two Chromiums on two shared cores on an impaired link: steps are waited for, never timed.
jest.setTimeout(300_000);

/** The monitor needs a few 2-second samples either way; give it room on a loaded machine. */
const VERDICT_TIMEOUT_MS = 60_000;

let lab: LabEnvironment;

beforeAll(async () => {
  lab = await LabEnvironment.start({ impairable: ['a'] });
});

afterAll(async () => {
  await lab?.close();
});

/**
 * The indicator as the user sees it, with its details (what the latest sample found wrong, so a
 * wait that times out says why), or null when it is not shown.
 */
function readIndicator(
  client: ParleyClient,
): Promise<{ blame: string; text: string; details: string } | null> {
  return client.page.evaluate((id) => {
    const element = document.querySelector(`[data-testid="${id}"]`);
    if (!element) return null;
    return {
      blame: element.getAttribute('data-blame') ?? '',
      text: element.textContent ?? '',
      details: element.getAttribute('title') ?? '',
    };
  }, testIds.qualityIndicator);
}

test("10% loss and 150 ms on Alice's link: both sides name Alice's connection, Alice sends smaller video, and it all clears once the link is fine", async () => {
  const alice = await lab.registeredClient('a', 'alice', 'Alice Liddell');
  const bob = await lab.registeredClient('b', 'bob', 'Bob Marley');
  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);
  const before = await pollUntil(
    () => readOutboundVideo(alice.page),
    (video) => (video?.frameWidth ?? 0) > 0,
    "Alice's first encoded video frame",
  );
  expect(await readIndicator(alice)).toBeNull();
  expect(await readIndicator(bob)).toBeNull();

  lab.network.impair('a', { lossPercent: 10, delayMs: 150 });

  const seenByAlice = await pollUntil(
    () => readIndicator(alice),
    (indicator) => indicator?.blame === 'self',
    'Alice to be told her own connection is unstable',
    { timeoutMs: VERDICT_TIMEOUT_MS },
  );
  expect(seenByAlice?.text).toContain('Your connection is unstable');
  const seenByBob = await pollUntil(
    () => readIndicator(bob),
    (indicator) => indicator?.blame === 'peer',
    "Bob to be told Alice's connection is unstable",
    { timeoutMs: VERDICT_TIMEOUT_MS },
  );
  expect(seenByBob?.text).toContain("Alice Liddell's connection is unstable");

  // Alice's encoder gives way: the app asks for half the resolution or less, and gets it.
  const stepped = await pollUntil(
    () => readOutboundVideo(alice.page),
    (video) =>
      (video?.scaleResolutionDownBy ?? 1) >= 2 && video!.frameWidth <= before!.frameWidth / 2,
    "Alice's video to step down",
    { timeoutMs: VERDICT_TIMEOUT_MS },
  );
  expect(stepped!.frameWidth).toBeGreaterThan(0);
  // The call holds through it.
  await expectMediaStillFlowing([alice, bob]);

  lab.network.clearImpairment('a');

  for (const [who, client] of [
    ['Alice', alice],
    ['Bob', bob],
  ] as const) {
    await pollUntil(
      () => readIndicator(client),
      (indicator) => indicator === null,
      `${who}'s indicator to go away`,
      { timeoutMs: VERDICT_TIMEOUT_MS },
    );
  }
  await hangUp(bob, alice);
});
