import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import {
  startTamperingRelay,
  type MessageDelay,
  type MessageRewrite,
  type TamperingRelay,
} from './harness/tamperingRelay';
import { readVideoSending } from './harness/videoSending';

// Real Chromium and real calls on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

/** Quality verdicts need several 2 s samples: appearing takes ~4-8 s, going away ~8-12 s. */
const VERDICT_TIMEOUT_MS = 40_000;

const env = fileEnvironment({}, { closeClientsAfterEach: true });
let relay: TamperingRelay | undefined;

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

/**
 * Alice (optionally reaching the server through a relay) calls Bob on video; both are connected
 * when this returns. Names carry the test's suffix: the server outlives a test.
 */
async function connectedCall(
  suffix: string,
  through?: { rewrite: MessageRewrite; delay: MessageDelay },
): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
  if (through) relay = await startTamperingRelay(env.server.url, through.rewrite, through.delay);
  const alice = await env.registeredClient(
    `alice${suffix}`,
    'Alice Liddell',
    relay ? { url: relay.url } : {},
  );
  const bob = await env.registeredClient(`bob${suffix}`, 'Bob Marley');
  await becomeContacts(alice, bob);
  await bob.waitForPresence(alice.username, 'online');
  await alice.callContact(bob.username);
  await answerAndConnect(alice, bob);
  return { alice, bob };
}

/** Waits for the quality indicator to blame `blame` and returns its text. */
async function waitForIndicator(client: ParleyClient, blame: string): Promise<string> {
  const indicator = client.withAttribute(testIds.qualityIndicator, 'data-blame', blame);
  await indicator.waitFor({ state: 'attached', timeout: VERDICT_TIMEOUT_MS });
  return (await indicator.innerText()).trim();
}

async function waitForNoIndicator(client: ParleyClient, blame: string): Promise<void> {
  await client
    .withAttribute(testIds.qualityIndicator, 'data-blame', blame)
    .waitFor({ state: 'detached', timeout: VERDICT_TIMEOUT_MS });
}

/** The answer's video section limited to `kbps`: the sender's bandwidth estimate stays under it. */
function capVideoBandwidth(sdp: string, kbps: number): string {
  return sdp.replace(/(m=video[^\r\n]*\r\n(?:c=[^\r\n]*\r\n)?)/, `$1b=AS:${kbps}\r\n`);
}

test('a good call shows no quality indicator on either side and sends video at full quality', async () => {
  const { alice, bob } = await connectedCall('_good');
  await expectMediaStillFlowing([alice, bob]);
  // The monitor is running once it has set the camera's preference on the real sender.
  for (const client of [alice, bob]) {
    await pollUntil(
      () => readVideoSending(client.page),
      (sending) => sending?.degradationPreference === 'balanced',
      'the quality monitor to set the video sender up',
    );
  }
  // Six more samples (12 s): a good call never shows the indicator, and never steps down.
  const watchUntil = Date.now() + 12_000;
  while (Date.now() < watchUntil) {
    for (const client of [alice, bob])
      expect(await client.byTestId(testIds.qualityIndicator).count()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  for (const client of [alice, bob]) {
    expect(await readVideoSending(client.page)).toMatchObject({
      scaleResolutionDownBy: 1,
      maxFramerate: 30,
    });
  }
});

test("Alice's starved uplink and unsteady link: she steps her video down, both sides name her, and the names go once her link is steady", async () => {
  // Alice's side of the world: what she sends is capped at 40 kbps (the answer she gets says so:
  // her encoder's target stays under it, whatever her bandwidth estimate does),
  // and while `unsteady` every other reply from the server reaches her 300 ms late.
  let unsteady = false;
  let late = false;
  const { alice, bob } = await connectedCall('_poor', {
    // Bob's answer reaches Alice while it rings (call.preconnect) and again in call.accept.
    rewrite: (message, direction) =>
      direction === 'server_to_client' &&
      (message.type === 'call.preconnect' || message.type === 'call.accept')
        ? { ...message, sdp: capVideoBandwidth(String(message.sdp), 40) }
        : null,
    delay: (message, direction) => {
      if (!unsteady || direction !== 'server_to_client' || message.type !== 'ok') return 0;
      late = !late;
      return late ? 300 : 0;
    },
  });
  unsteady = true;

  expect(await waitForIndicator(alice, 'self')).toBe('Your connection is unstable');
  expect(await waitForIndicator(bob, 'peer')).toBe("Alice Liddell's connection is unstable");

  // Alice's sender gives way: half, then a quarter of the resolution; the encoder follows.
  const steppedDown = await pollUntil(
    () => readVideoSending(alice.page),
    (sending) => (sending?.scaleResolutionDownBy ?? 1) >= 4 && (sending?.frameWidth ?? 1280) <= 320,
    "Alice's video sender to step down to a quarter of the resolution",
    { timeoutMs: VERDICT_TIMEOUT_MS },
  );
  expect(steppedDown).toMatchObject({ maxFramerate: 15, degradationPreference: 'balanced' });
  // Bob's link is fine: his video stays as it was.
  expect(await readVideoSending(bob.page)).toMatchObject({ scaleResolutionDownBy: 1 });

  unsteady = false;
  await waitForNoIndicator(bob, 'peer');
  await waitForNoIndicator(alice, 'self');
  await expectMediaStillFlowing([alice, bob]);
});

test('a shared screen is sent keeping its resolution; back on the camera, resolution and frame rate both give again', async () => {
  const { alice, bob } = await connectedCall('_screen');
  await bob.waitForInboundMedia();
  await pollUntil(
    () => readVideoSending(alice.page),
    (sending) => sending?.degradationPreference === 'balanced',
    "the quality monitor to set Alice's camera sender up",
  );

  await alice.click(testIds.screenShareButton);
  await alice.byTestId(testIds.stopShareButton).waitFor({ state: 'visible' });
  const screen = await pollUntil(
    () => readVideoSending(alice.page),
    (sending) => sending?.degradationPreference === 'maintain-resolution',
    "Alice's screen to be sent keeping its resolution",
  );
  expect(screen).toMatchObject({ scaleResolutionDownBy: 1, maxFramerate: 30 });

  await alice.click(testIds.stopShareButton);
  await alice.byTestId(testIds.stopShareButton).waitFor({ state: 'detached' });
  await pollUntil(
    () => readVideoSending(alice.page),
    (sending) => sending?.degradationPreference === 'balanced',
    "Alice's camera to be sent balanced again",
  );
});
