import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import {
  failNewestConnection,
  readIceRestartsSeen,
  simulateIceFailure,
} from './harness/iceFailure';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { readSignalingReceived, recordSignaling } from './harness/signalingRecorder';
import { startTamperingRelay, type TamperingRelay } from './harness/tamperingRelay';

// Real Chromium and real calls on two cores: steps are waited for, never timed.
jest.setTimeout(240_000);

/** Short, so a peer that is gone for good ends the call within the test. */
const GRACE_MS = 15_000;

const env = fileEnvironment({ reconnectGraceMs: GRACE_MS }, { closeClientsAfterEach: true });
let relay: TamperingRelay | undefined;

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const options = { initScripts: [recordSignaling, simulateIceFailure] };

/**
 * Alice calls Bob, who accepts; returns once both are connected with media flowing. Alice reaches
 * the server through `aliceUrl` when given (a tampering relay).
 */
async function connectedCall(
  suffix: string,
  aliceUrl?: string,
): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
  const alice = await env.registeredClient(`alice${suffix}`, 'Alice', {
    ...options,
    ...(aliceUrl && { url: aliceUrl }),
  });
  const bob = await env.registeredClient(`bob${suffix}`, 'Bob', options);
  await becomeContacts(alice, bob);
  await alice.callContact(bob.username);
  await answerAndConnect(alice, bob);
  await expectMediaStillFlowing([alice, bob]);
  return { alice, bob };
}

/** From now on, records on the page whether each of these test ids was ever attached. */
function watchFor(client: ParleyClient, ids: string[]): Promise<void> {
  return client.page.evaluate((watched) => {
    const seen = new Set<string>();
    Object.defineProperty(window, '__testIdsSeen', { value: seen, configurable: true });
    const look = () => {
      for (const id of watched) if (document.querySelector(`[data-testid="${id}"]`)) seen.add(id);
    };
    look();
    new MutationObserver(look).observe(document, { childList: true, subtree: true });
  }, ids);
}

function readSeen(client: ParleyClient): Promise<string[]> {
  return client.page.evaluate(() => [
    ...(window as unknown as { __testIdsSeen: Set<string> }).__testIdsSeen,
  ]);
}

function safetyNumber(client: ParleyClient): Promise<string> {
  return client.byTestId(testIds.safetyNumber).first().innerText();
}

/** The call timer in seconds (m:ss or h:mm:ss). */
async function timerSeconds(client: ParleyClient): Promise<number> {
  const text = await client.byTestId(testIds.callTimer).innerText();
  return text.split(':').reduce((total, part) => total * 60 + Number(part), 0);
}

async function received(client: ParleyClient, type: string): Promise<number> {
  return (await readSignalingReceived(client.page)).filter((m) => m.type === type).length;
}

test('a page reloaded mid-call rejoins by itself: media again both ways, same safety number, and the peer never sees the call end', async () => {
  const { alice, bob } = await connectedCall('_reload');
  const numbers = { alice: await safetyNumber(alice), bob: await safetyNumber(bob) };
  expect(numbers.alice).toBe(numbers.bob);
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const secondsBefore = await timerSeconds(alice);
  await watchFor(bob, [testIds.callNotice, testIds.screenContacts, testIds.mediaReconnecting]);

  await alice.page.reload();

  // Back in the call without a click: rejoined with new keys and a new connection on both sides.
  await alice.waitForInCall();
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }
  await expectMediaStillFlowing([alice, bob]);
  expect(await received(bob, 'call.rejoin')).toBe(1);
  expect(await received(alice, 'call.rejoined')).toBe(1);
  await pollUntil(
    () => safetyNumber(alice),
    (shown) => shown === numbers.alice,
    'the safety number after the rejoin to be the one before',
  );
  expect(await safetyNumber(bob)).toBe(numbers.bob);
  // The timer goes on from the answer, not from the reload.
  expect(await timerSeconds(alice)).toBeGreaterThanOrEqual(secondsBefore);

  // Bob was told media was recovering, and never that the call ended.
  const seen = await readSeen(bob);
  expect(seen).toContain(testIds.mediaReconnecting);
  expect(seen).not.toContain(testIds.callNotice);
  expect(seen).not.toContain(testIds.screenContacts);
  await expect(bob.byTestId(testIds.mediaReconnecting).count()).resolves.toBe(0);

  await bob.click(testIds.hangupButton);
  await bob.waitForCallEnded('hangup');
  await alice.waitForCallEnded('remote_hangup');
});

test.each([
  ['the offerer (caller)', 'alice', 0],
  ['the answerer (callee), which asks with call.restart', 'bob', 1],
] as const)(
  'a failed connection on %s recovers by an ICE restart over call.offer / call.answer',
  async (_side, failing, restartsAsked) => {
    const { alice, bob } = await connectedCall(`_ice_${failing}`);
    const broken = failing === 'alice' ? alice : bob;
    await watchFor(broken, [testIds.mediaReconnecting, testIds.callNotice]);

    await failNewestConnection(broken.page);

    await pollUntil(
      () => readIceRestartsSeen(broken.page),
      (restarts) => restarts === 1,
      'ICE to connect again on new credentials',
    );
    for (const client of [alice, bob]) {
      await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    }
    await expectMediaStillFlowing([alice, bob]);
    expect(await received(alice, 'call.restart')).toBe(restartsAsked);
    expect(await received(bob, 'call.offer')).toBeGreaterThanOrEqual(1);
    expect(await received(alice, 'call.answer')).toBeGreaterThanOrEqual(1);
    const seen = await readSeen(broken);
    expect(seen).toContain(testIds.mediaReconnecting);
    expect(seen).not.toContain(testIds.callNotice);
    await broken.byTestId(testIds.mediaReconnecting).waitFor({ state: 'detached' });
    await alice.waitForInCall();
    await bob.waitForInCall();
  },
);

test('a peer that closes its tab for good: the other side shows "connection lost" after the grace, not before', async () => {
  const { alice, bob } = await connectedCall('_gone');
  const closedAt = Date.now();
  await env.closeClient(bob);

  // Within the grace the call stays, saying media is recovering.
  await alice.byTestId(testIds.mediaReconnecting).waitFor({ state: 'visible', timeout: GRACE_MS });
  const stillUntil = closedAt + GRACE_MS - 2_000;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, stillUntil - Date.now())));
  await expect(alice.byTestId(testIds.screenInCall).isVisible()).resolves.toBe(true);
  await expect(alice.byTestId(testIds.callNotice).count()).resolves.toBe(0);

  await alice.waitForCallEnded('connection_lost');
  expect(Date.now() - closedAt).toBeGreaterThanOrEqual(GRACE_MS - 1_000);
  const sentence = await alice.byTestId(testIds.callNotice).innerText();
  expect(sentence).toMatch(/connection to Bob was lost/i);
});

test("a relay that swaps the DTLS fingerprint in an ICE restart offer gets the call ended by Bob's client before it is applied", async () => {
  relay = await startTamperingRelay(env.server.url, (message, direction) => {
    if (direction !== 'client_to_server' || message.type !== 'call.offer') return null;
    const sdp = String(message.sdp).replace(
      /^a=fingerprint:sha-256 [0-9A-F:]+$/gim,
      `a=fingerprint:sha-256 ${Array.from({ length: 32 }, () => 'AB').join(':')}`,
    );
    return { ...message, sdp };
  });
  const { alice, bob } = await connectedCall('_swap', relay.url);

  await failNewestConnection(alice.page);

  await bob.waitForCallEnded('identity_failed');
  await alice.waitForCallEnded('remote_hangup');
  expect(relay.rewritten.map((r) => r.message.type)).toContain('call.offer');
  expect(await received(alice, 'call.answer')).toBe(0);
});
