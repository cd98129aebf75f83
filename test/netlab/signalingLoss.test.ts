import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { readLoggedDurationSeconds } from './harness/callLogReader';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';
import { readSignalingReceived, recordSignalingReceived } from './harness/signalingRecorder';

// Two Chromiums, coturn and a server on two shared cores: steps are waited for, never timed.
jest.setTimeout(300_000);

/** A dead socket is noticed within a ping interval and its deadline (10 s + 5 s). */
const NOTICE_DEADLINE_MS = 30_000;

let lab: LabEnvironment;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  lab = await LabEnvironment.start();
  ({ alice, bob } = await lab.contactsAliceAndBob({ initScripts: [recordSignalingReceived] }));
});

afterEach(() => {
  lab.network.firewall.restore();
});

afterAll(async () => {
  await lab?.close();
});

function reconnectingBanner(client: ParleyClient, shown: boolean): Promise<void> {
  return client
    .byTestId(testIds.signalingReconnecting)
    .waitFor({ state: shown ? 'visible' : 'detached', timeout: NOTICE_DEADLINE_MS });
}

/** The call.media notices Bob's page received saying Alice's microphone is off, by seq. */
async function muteNoticesReceivedByBob(): Promise<number[]> {
  return (await readSignalingReceived(bob.page))
    .map((frame) => JSON.parse(frame) as { type: string; audio?: boolean; seq?: number })
    .filter((message) => message.type === 'call.media' && message.audio === false)
    .map((message) => message.seq ?? -1);
}

test('the WebSocket cut mid-call: video keeps decoding, both say reconnecting, the session resumes, a mute sent meanwhile arrives once, and hang-up works', async () => {
  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);

  lab.network.firewall.block('server-all');
  // Alice mutes while her socket is silently dead: the notice waits for the session to resume.
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await Promise.all([reconnectingBanner(alice, true), reconnectingBanner(bob, true)]);
  await expectMediaStillFlowing([alice, bob]);
  expect(await muteNoticesReceivedByBob()).toEqual([]);

  lab.network.firewall.unblock('server-all');
  await Promise.all([reconnectingBanner(alice, false), reconnectingBanner(bob, false)]);
  await bob.waitForRemoteMuted(true);
  await expectMediaStillFlowing([alice, bob]);
  expect(await muteNoticesReceivedByBob()).toHaveLength(1);

  await hangUp(bob, alice);
});

test('the server killed (SIGKILL) mid-call and started again on its data: video never stops, hang-up works, and the log has the true duration', async () => {
  const acceptedAt = await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);

  await lab.server.stop('SIGKILL');
  await expectMediaStillFlowing([alice, bob]);
  await Promise.all([reconnectingBanner(alice, true), reconnectingBanner(bob, true)]);
  await expectMediaStillFlowing([alice, bob]);

  await lab.server.start();
  await Promise.all([reconnectingBanner(alice, false), reconnectingBanner(bob, false)]);
  await expectMediaStillFlowing([alice, bob]);

  const hungUpAt = Date.now();
  await hangUp(alice, bob);
  const trueSeconds = (hungUpAt - acceptedAt) / 1000;
  for (const [client, peer] of [
    [alice, 'bob'],
    [bob, 'alice'],
  ] as const) {
    const logged = await readLoggedDurationSeconds(client, peer);
    expect(Math.abs(logged - trueSeconds)).toBeLessThanOrEqual(2);
  }
});
