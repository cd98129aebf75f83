import { testIds } from '../../renderer/ui/testIds';
import type { ParleyClient } from '../e2e/harness/parleyClient';
import { expectMediaStillFlowing } from '../e2e/harness/mediaFlow';
import { pollUntil } from '../e2e/harness/pollUntil';
import { readSelectedPair, type SelectedPair } from './harness/iceStats';
import { hangUp, startVideoCall } from './harness/labCall';
import { LabEnvironment } from './harness/labEnvironment';
import {
  candidateLines,
  readSignalingReceived,
  recordSignalingReceived,
} from './harness/signalingRecorder';

// Two Chromiums, coturn and a server on two shared cores: steps are waited for, never timed.
jest.setTimeout(300_000);

let lab: LabEnvironment;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  lab = await LabEnvironment.start();
  ({ alice, bob } = await lab.contactsAliceAndBob({ initScripts: [recordSignalingReceived] }));
  await alice.waitForPresence('bob', 'online');
  await bob.waitForPresence('alice', 'online');
});

afterEach(() => {
  lab.network.firewall.restore();
});

afterAll(async () => {
  await lab?.close();
});

function selectedPair(client: ParleyClient): Promise<SelectedPair> {
  return pollUntil(
    () => readSelectedPair(client.page),
    (pair) => pair !== null,
    'a selected candidate pair',
  ) as Promise<SelectedPair>;
}

/** What the in-call details say about the path: route and transport. */
async function shownPath(client: ParleyClient): Promise<{ route: string; transport: string }> {
  const path = client.byTestId(testIds.callPath);
  await path.waitFor({ state: 'visible', timeout: 20_000 });
  return {
    route: (await path.getAttribute('data-route')) ?? '',
    transport: (await path.getAttribute('data-transport')) ?? '',
  };
}

const isRelay = (pair: SelectedPair) =>
  pair.local.candidateType === 'relay' || pair.remote.candidateType === 'relay';

test.each([
  ['all traffic', 'peers-all'],
  ['UDP', 'peers-udp'],
] as const)(
  'with %s between the peers blocked, the call connects through coturn and video decodes on both sides',
  async (_what, block) => {
    lab.network.firewall.block(block);
    await startVideoCall(alice, bob);
    await expectMediaStillFlowing([alice, bob]);
    for (const client of [alice, bob]) {
      expect(isRelay(await selectedPair(client))).toBe(true);
      expect(await shownPath(client)).toMatchObject({ route: 'relayed', transport: 'UDP' });
    }
    await hangUp(alice, bob);
  },
);

test.each([
  ['TCP', ['turn-udp'], 'tcp', 'TCP'],
  ['TLS', ['turn-udp', 'turn-tcp'], 'tls', 'TLS'],
] as const)(
  'with UDP to coturn blocked too, TURN over %s connects the call',
  async (_transport, turnBlocks, relayProtocol, shown) => {
    lab.network.firewall.block('peers-all');
    for (const block of turnBlocks) lab.network.firewall.block(block);
    await startVideoCall(alice, bob);
    await expectMediaStillFlowing([alice, bob]);
    for (const client of [alice, bob]) {
      // Neither side can reach the other's relay over UDP: both speak TURN over TCP or TLS.
      const pair = await selectedPair(client);
      expect(pair.local).toMatchObject({ candidateType: 'relay', relayProtocol });
      expect(await shownPath(client)).toMatchObject({ route: 'relayed', transport: shown });
    }
    await hangUp(bob, alice);
  },
);

test('a call with someone who is not a contact is relayed on both sides though nothing is blocked', async () => {
  const carol = await lab.registeredClient('a', 'carol', 'Carol King');
  await startVideoCall(carol, bob);
  await expectMediaStillFlowing([carol, bob]);
  for (const client of [carol, bob]) {
    expect((await selectedPair(client)).local.candidateType).toBe('relay');
    expect(await shownPath(client)).toMatchObject({ route: 'relayed' });
  }
  await hangUp(carol, bob);
  await carol.close();
});

test("with 'Protect my IP address in calls' on, Alice's side is relayed and Bob's page never receives her address", async () => {
  await alice.click(testIds.navSettings);
  await alice.waitForScreen(testIds.screenSettings);
  await alice.click(testIds.alwaysRelayToggle);
  await alice.waitForAttribute(testIds.alwaysRelayToggle, 'aria-checked', 'true');
  await alice.click(testIds.navContacts);
  const receivedBefore = (await readSignalingReceived(bob.page)).length;

  // Nothing is blocked: only the setting keeps Alice off a direct path.
  await startVideoCall(alice, bob);
  await expectMediaStillFlowing([alice, bob]);
  expect((await selectedPair(alice)).local.candidateType).toBe('relay');
  expect((await selectedPair(bob)).remote.candidateType).toBe('relay');
  expect(await shownPath(alice)).toMatchObject({ route: 'relayed' });
  await hangUp(alice, bob);

  const received = (await readSignalingReceived(bob.page)).slice(receivedBefore);
  const candidates = candidateLines(received);
  expect(candidates.length).toBeGreaterThan(0);
  expect(candidates.filter((line) => !line.includes(' typ relay'))).toEqual([]);
  expect(received.filter((frame) => frame.includes(lab.network.address('a')))).toEqual([]);

  await alice.click(testIds.navSettings);
  await alice.click(testIds.alwaysRelayToggle);
  await alice.waitForAttribute(testIds.alwaysRelayToggle, 'aria-checked', 'false');
  await alice.click(testIds.navContacts);
});
