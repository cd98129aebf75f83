import { randomBytes } from 'node:crypto';
import { testIds } from '../../renderer/ui/testIds';
import { startCoturn, type RunningCoturn } from '../turn/coturn';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

/**
 * Calls through a real coturn on 127.0.0.1, started from the project's configuration with the
 * secret the server mints credentials from: "Protect my IP address" relays the call (and says so
 * in the call), calls with non-contacts are relayed by default, calls between contacts go direct.
 */
jest.setTimeout(180_000);

const secret = randomBytes(24).toString('base64');
let coturn: RunningCoturn;

beforeAll(async () => {
  // Both relay addresses are on loopback, so coturn must relay between loopback peers.
  coturn = await startCoturn({ secret, settings: { 'allow-loopback-peers': true } });
});

const env = fileEnvironment(
  () => ({
    turn: {
      urls: [`stun:127.0.0.1:${coturn.port}`, `turn:127.0.0.1:${coturn.port}?transport=udp`],
      secret,
      ttlSeconds: 3600,
    },
  }),
  { closeClientsAfterEach: true },
);

afterAll(async () => {
  await coturn?.stop();
});

interface SelectedPair {
  local: string;
  remote: string;
  /** Every local candidate type gathered (what could have reached the other side). */
  localTypes: string[];
  /** Every candidate type the other side sent us through signaling. */
  remoteTypes: string[];
}

/** The newest connection's selected candidate pair, read from getStats apart from the app. */
function selectedPair(client: ParleyClient): Promise<SelectedPair | null> {
  return client.page.evaluate(async () => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    if (!newest) return null;
    const stats = new Map<string, Record<string, unknown>>();
    (await newest.getStats()).forEach((s: Record<string, unknown>) => stats.set(String(s.id), s));
    const transport = [...stats.values()].find((s) => s.type === 'transport');
    const pair = transport && stats.get(String(transport.selectedCandidatePairId));
    if (!pair) return null;
    return {
      local: String(stats.get(String(pair.localCandidateId))?.candidateType),
      remote: String(stats.get(String(pair.remoteCandidateId))?.candidateType),
      localTypes: [...stats.values()]
        .filter((s) => s.type === 'local-candidate')
        .map((s) => String(s.candidateType)),
      remoteTypes: [...stats.values()]
        .filter((s) => s.type === 'remote-candidate')
        .map((s) => String(s.candidateType)),
    };
  });
}

async function contacts(): Promise<[ParleyClient, ParleyClient]> {
  const tag = randomBytes(3).toString('hex');
  const alice = await env.registeredClient(`alice${tag}`, 'Alice');
  const bob = await env.registeredClient(`bob${tag}`, 'Bob');
  await becomeContacts(alice, bob);
  return [alice, bob];
}

async function hangUp(caller: ParleyClient, callee: ParleyClient): Promise<void> {
  await caller.click(testIds.hangupButton);
  await caller.waitForCallEnded('hangup');
  await callee.waitForCallEnded('remote_hangup');
}

test('two contacts with the setting off talk directly, and the call says "Direct (UDP)"', async () => {
  const [alice, bob] = await contacts();
  await alice.callContact(bob.username);
  await answerAndConnect(alice, bob);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.callPath, 'data-route', 'direct');
    await expect(client.byTestId(testIds.callPath).innerText()).resolves.toBe('Direct (UDP)');
    const pair = await selectedPair(client);
    expect(pair).toMatchObject({ local: 'host', remote: 'host' });
  }
  await expectMediaStillFlowing([alice, bob]);
  await hangUp(alice, bob);
});

test('"Protect my IP address" on both sides: only relay candidates, video both ways, "Relayed (UDP)"', async () => {
  const [alice, bob] = await contacts();
  await alice.protectIpAddress();
  await bob.protectIpAddress();
  await alice.callContact(bob.username);
  await answerAndConnect(alice, bob);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.callPath, 'data-route', 'relayed');
    await expect(client.byTestId(testIds.callPath).innerText()).resolves.toBe('Relayed (UDP)');
    const pair = await selectedPair(client);
    expect(pair).toMatchObject({ local: 'relay', remote: 'relay' });
    expect(new Set(pair!.localTypes)).toEqual(new Set(['relay']));
    expect(new Set(pair!.remoteTypes)).toEqual(new Set(['relay']));
  }
  await expectMediaStillFlowing([alice, bob]);
  await hangUp(alice, bob);
});

/**
 * A stranger calls Alice: he has her in his contacts, she does not have him (names with a tag of
 * their own: the server outlives a test).
 */
async function strangerCallsAlice(): Promise<{ alice: ParleyClient; stranger: ParleyClient }> {
  const tag = randomBytes(3).toString('hex');
  const alice = await env.registeredClient(`alice${tag}`, 'Alice');
  const stranger = await env.registeredClient(`stranger${tag}`, 'Stranger');
  // The stranger knows Alice; Alice does not have the stranger in her contacts.
  await stranger.addContact(`alice${tag}`);
  // Signed in, but a stranger is never shown Alice's presence.
  await stranger.waitForPresence(`alice${tag}`, 'offline');
  await stranger.callContact(`alice${tag}`);
  return { alice, stranger };
}

test('a call from someone who is not a contact is relayed on the answering side by default', async () => {
  const { alice, stranger } = await strangerCallsAlice();
  await answerAndConnect(stranger, alice);

  await alice.waitForAttribute(testIds.callPath, 'data-route', 'relayed');
  const pair = await selectedPair(alice);
  expect(pair?.local).toBe('relay');
  expect(new Set(pair!.localTypes)).toEqual(new Set(['relay']));
  // The stranger reaches Alice's relay address, and never learns one of her own.
  await stranger.waitForAttribute(testIds.callPath, 'data-route', 'relayed');
  const seenByStranger = await selectedPair(stranger);
  expect(seenByStranger?.remote).toBe('relay');
  expect(new Set(seenByStranger!.remoteTypes)).toEqual(new Set(['relay']));
  await expectMediaStillFlowing([alice, stranger]);
  await hangUp(stranger, alice);
});

test('a stranger’s call connects while it rings through the relay only: ringing never shows the stranger an address of the callee', async () => {
  const { alice, stranger } = await strangerCallsAlice();
  await alice.waitForIncomingCall();

  // Still ringing: the connection is up, and everything Alice offered the stranger is a relay.
  // A check from Alice's relay can reach the stranger before her relay candidate does: it is
  // peer-reflexive until that candidate arrives and takes its place, which an address of Alice
  // never would.
  const ringing = await pollUntil(
    () => selectedPair(stranger),
    (pair) => pair !== null && pair.remote !== 'prflx',
    "the stranger's connection up while Alice's device rings",
  );
  expect(ringing?.remote).toBe('relay');
  expect(new Set(ringing?.remoteTypes)).toEqual(new Set(['relay']));
  expect(new Set((await selectedPair(alice))?.localTypes)).toEqual(new Set(['relay']));
  await expect(alice.byTestId(testIds.acceptVideoButton).isVisible()).resolves.toBe(true);

  await alice.click(testIds.acceptVideoButton);
  await Promise.all([stranger.waitForInCall(), alice.waitForInCall()]);
  await expectMediaStillFlowing([alice, stranger]);
  const answered = await selectedPair(stranger);
  expect(new Set(answered!.remoteTypes)).toEqual(new Set(['relay']));
  await hangUp(stranger, alice);
});
