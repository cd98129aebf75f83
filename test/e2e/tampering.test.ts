import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import {
  startTamperingRelay,
  type MessageRewrite,
  type TamperingRelay,
} from './harness/tamperingRelay';

// Real Chromium and real calls on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment({}, { closeClientsAfterEach: true });
let relay: TamperingRelay | undefined;

afterEach(async () => {
  await relay?.close();
  relay = undefined;
});

const FINGERPRINT_LINE = /^a=fingerprint:sha-256 [0-9A-F:]+$/gim;

/** A well-formed DTLS fingerprint of a certificate nobody in the call holds. */
function foreignFingerprint(): string {
  const pairs = [...randomBytes(32)].map((byte) => byte.toString(16).padStart(2, '0'));
  return `sha-256 ${pairs.join(':').toUpperCase()}`;
}

/** A genuine X25519 public key (raw 32 bytes, base64) that is not the sender's. */
function foreignEphemeralKey(): string {
  const jwk = generateKeyPairSync('x25519').publicKey.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('base64');
}

/**
 * Alice's client reaches the server only through a relay applying `rewrite`; Bob's directly.
 * Both are registered (under names with this test's suffix: the server outlives a test), have
 * each other as contacts and see each other online.
 */
async function aliceBehindRelay(
  suffix: string,
  rewrite: MessageRewrite,
): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
  relay = await startTamperingRelay(env.server.url, rewrite);
  const alice = await env.registeredClient(`alice${suffix}`, 'Alice Liddell', { url: relay.url });
  const bob = await env.registeredClient(`bob${suffix}`, 'Bob Marley');
  await becomeContacts(alice, bob);
  await bob.waitForPresence(alice.username, 'online');
  return { alice, bob };
}

async function expectNeverConnected(client: ParleyClient): Promise<void> {
  expect(await client.readConnectionStatesSeen()).not.toContain('connected');
}

async function expectIdentityFailureNotice(client: ParleyClient, peerName: string): Promise<void> {
  await client.waitForCallEnded('identity_failed');
  const sentence = await client.byTestId(testIds.callNotice).innerText();
  expect(sentence).toContain(peerName);
  expect(sentence).toMatch(/verif/i);
}

test("a relay that swaps the DTLS fingerprint in Alice's offer gets the call refused by Bob's client before it rings", async () => {
  const swapped = foreignFingerprint();
  const { alice, bob } = await aliceBehindRelay('_fp', (message, direction) => {
    if (direction !== 'client_to_server' || message.type !== 'call.invite') return null;
    const sdp = String(message.sdp).replace(FINGERPRINT_LINE, `a=fingerprint:${swapped}`);
    return { ...message, sdp };
  });

  await alice.callContact(bob.username);

  // Bob's client checks Alice's signed share against the SDP that came with it, and refuses.
  await expectIdentityFailureNotice(bob, 'Alice');
  // Alice's client is told why: Bob's client could not verify her keys (a decline with a reason).
  await alice.waitForCallEnded('peer_identity_failed');

  expect(relay!.rewritten).toHaveLength(1);
  expect(String(relay!.rewritten[0]!.message.sdp)).toContain(`a=fingerprint:${swapped}`);
  expect(await bob.readScreensSeen()).not.toContain(testIds.screenIncoming);
  for (const client of [alice, bob]) {
    expect(await client.readScreensSeen()).not.toContain(testIds.screenInCall);
    await expectNeverConnected(client);
  }
});

test("a relay that swaps the ephemeral key in Bob's answer (early and in the accept) gets the call refused by Alice's client, which never connects", async () => {
  const swapped = foreignEphemeralKey();
  const { alice, bob } = await aliceBehindRelay('_key', (message, direction) => {
    if (direction !== 'server_to_client') return null;
    // Bob's answer travels in call.preconnect while it rings and again in call.accept.
    if (message.type !== 'call.preconnect' && message.type !== 'call.accept') return null;
    const keyShare = message.keyShare as Record<string, unknown>;
    return { ...message, keyShare: { ...keyShare, ephemeralKey: swapped } };
  });

  await alice.callContact(bob.username);
  expect(await bob.waitForIncomingCall()).toContain('Alice Liddell');
  await bob.click(testIds.acceptVideoButton);

  // Bob's signature covers his real key, not the swapped one: Alice ignores the early answer and
  // hangs up on the accept.
  await expectIdentityFailureNotice(alice, 'Bob');
  await bob.waitForCallEnded('peer_identity_failed');

  const types = relay!.rewritten.map((entry) => entry.message.type);
  expect(types.at(-1)).toBe('call.accept');
  expect(types.filter((type) => type !== 'call.preconnect')).toEqual(['call.accept']);
  expect(await alice.readScreensSeen()).not.toContain(testIds.screenInCall);
  for (const client of [alice, bob]) await expectNeverConnected(client);
});

test("a relay that swaps the ephemeral key in Bob's accept only, after a genuine early answer, gets the call refused by Alice's client before any media", async () => {
  const swapped = foreignEphemeralKey();
  const { alice, bob } = await aliceBehindRelay('_acc', (message, direction) => {
    if (direction !== 'server_to_client' || message.type !== 'call.accept') return null;
    const keyShare = message.keyShare as Record<string, unknown>;
    return { ...message, keyShare: { ...keyShare, ephemeralKey: swapped } };
  });

  await alice.callContact(bob.username);
  expect(await bob.waitForIncomingCall()).toContain('Alice Liddell');
  await bob.click(testIds.acceptVideoButton);

  // The accept must repeat the answer Alice verified while it rang: a changed one ends the call.
  await expectIdentityFailureNotice(alice, 'Bob');
  await bob.waitForCallEnded('peer_identity_failed');
  expect(relay!.rewritten.map((entry) => entry.message.type)).toEqual(['call.accept']);
  expect(await alice.readScreensSeen()).not.toContain(testIds.screenInCall);
});

/** An RFC 8122 fingerprint line of another hash function, for a certificate nobody holds. */
function foreignSha512Line(): string {
  const pairs = [...randomBytes(64)].map((byte) => byte.toString(16).padStart(2, '0'));
  return `a=fingerprint:sha-512 ${pairs.join(':').toUpperCase()}`;
}

test("a relay that adds a sha-512 fingerprint line for a foreign certificate to Alice's offer: the call still connects, checked against the signed SHA-256 one", async () => {
  const added = foreignSha512Line();
  const { alice, bob } = await aliceBehindRelay('_fp512', (message, direction) => {
    if (direction !== 'client_to_server' || message.type !== 'call.invite') return null;
    // RFC 8122 allows more lines; Bob's browser must not pick this unsigned one.
    const sdp = String(message.sdp).replace(FINGERPRINT_LINE, (line) => `${line}\r\n${added}`);
    return { ...message, sdp };
  });

  await alice.callContact(bob.username);
  expect(await bob.waitForIncomingCall()).toContain('Alice Liddell');
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await client.waitForAttribute(testIds.e2eeStatus, 'data-state', 'encrypted');
  }

  expect(relay!.rewritten).toHaveLength(1);
  expect(String(relay!.rewritten[0]!.message.sdp)).toContain(added);
  // Bob's browser was given only the signed SHA-256 line.
  const remoteFingerprints = await bob.page.evaluate(() => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const sdp = tracked[tracked.length - 1]?.remoteDescription?.sdp ?? '';
    return sdp.match(/^a=fingerprint:\S+/gm) ?? [];
  });
  expect(remoteFingerprints.length).toBeGreaterThan(0);
  expect(new Set(remoteFingerprints)).toEqual(new Set(['a=fingerprint:sha-256']));

  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});

test("a relay that adds a second, different sha-256 fingerprint line to Alice's offer gets the call refused before it rings", async () => {
  const added = `a=fingerprint:${foreignFingerprint()}`;
  const { alice, bob } = await aliceBehindRelay('_fp2', (message, direction) => {
    if (direction !== 'client_to_server' || message.type !== 'call.invite') return null;
    const sdp = String(message.sdp).replace(FINGERPRINT_LINE, (line) => `${line}\r\n${added}`);
    return { ...message, sdp };
  });

  await alice.callContact(bob.username);

  await expectIdentityFailureNotice(bob, 'Alice');
  await alice.waitForCallEnded('peer_identity_failed');
  expect(String(relay!.rewritten[0]!.message.sdp)).toContain(added);
  expect(await bob.readScreensSeen()).not.toContain(testIds.screenIncoming);
  for (const client of [alice, bob]) await expectNeverConnected(client);
});
