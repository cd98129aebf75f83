import { testIds } from '../../renderer/ui/testIds';
import { startCuttableLink, type CuttableLink } from './harness/cuttableLink';
import { answerAndConnect } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { readSignalingReceived, recordSignaling } from './harness/signalingRecorder';

// Real Chromium and a real call on two cores: steps are waited for, never timed.
jest.setTimeout(240_000);

const env = fileEnvironment();
let link: CuttableLink;

beforeAll(async () => {
  const server = new URL(env.server.url);
  link = await startCuttableLink({ host: server.hostname, port: Number(server.port) });
});

afterAll(async () => {
  await link?.close();
});

/** The distinct `call.media` notices the page received that say the peer's microphone is `audio`. */
async function mediaNoticesSaying(client: ParleyClient, audio: boolean): Promise<number> {
  const received = await readSignalingReceived(client.page);
  const seqs = received
    .filter((m) => m.type === 'call.media' && m.audio === audio)
    .map((m) => `${m.seq}`);
  return new Set(seqs).size;
}

test('a call outlives its signaling: cut silently, then reset; mute and hang-up arrive once afterwards', async () => {
  // Both pages, and their WebSockets, reach the server only through the link.
  const options = { url: link.url, initScripts: [recordSignaling] };
  const alice = await env.registeredClient('alice', 'Alice', options);
  const bob = await env.registeredClient('bob', 'Bob', options);
  await alice.addContact('bob');
  await bob.addContact('alice');
  await alice.waitForPresence('bob', 'online');
  await alice.callContact('bob');
  await answerAndConnect(alice, bob);
  await expectMediaStillFlowing([alice, bob]);
  await expect(alice.byTestId(testIds.signalingReconnecting).count()).resolves.toBe(0);

  // 1. A blackhole: nothing closes, the keep-alive notices. The call goes on and says so.
  link.blackhole();
  await Promise.all([alice.waitForSignalingLost(true), bob.waitForSignalingLost(true)]);
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await expectMediaStillFlowing([alice, bob], { audio: false });
  await expect(bob.byTestId(testIds.remoteMuted).count()).resolves.toBe(0);
  await expect(alice.byTestId(testIds.screenInCall).isVisible()).resolves.toBe(true);

  link.restore();
  await Promise.all([alice.waitForSignalingLost(false), bob.waitForSignalingLost(false)]);
  await bob.waitForRemoteMuted(true);
  expect(await mediaNoticesSaying(bob, false)).toBe(1);

  // 2. Every connection reset, and nothing gets through for a while: the same, noticed at once.
  link.blackhole();
  link.resetAll();
  await Promise.all([alice.waitForSignalingLost(true), bob.waitForSignalingLost(true)]);
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  await expectMediaStillFlowing([alice, bob]);
  await expect(bob.byTestId(testIds.remoteMuted).count()).resolves.toBe(1);

  link.restore();
  await Promise.all([alice.waitForSignalingLost(false), bob.waitForSignalingLost(false)]);
  await bob.waitForRemoteMuted(false);
  expect(await mediaNoticesSaying(bob, true)).toBe(1);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }

  // Hang-up works again and ends the call on both sides.
  await alice.click(testIds.hangupButton);
  await alice.waitForCallEnded('hangup');
  await bob.waitForCallEnded('remote_hangup');
  await alice.waitForCallLogEntry('answered', 'bob');
});
