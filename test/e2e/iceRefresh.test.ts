import { randomBytes } from 'node:crypto';
import { testIds } from '../../renderer/ui/testIds';
import { startCoturn, type RunningCoturn } from '../turn/coturn';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

/**
 * TURN credentials that expire every few seconds: the server's `ice.servers` pushes reach the
 * call in progress (its next ICE restart would need them), and the relayed call goes on.
 */
jest.setTimeout(180_000);

const secret = randomBytes(24).toString('base64');
let coturn: RunningCoturn;

beforeAll(async () => {
  coturn = await startCoturn({ secret, settings: { 'allow-loopback-peers': true } });
});

const env = fileEnvironment(() => ({
  turn: { urls: [`turn:127.0.0.1:${coturn.port}?transport=udp`], secret, ttlSeconds: 3 },
}));

afterAll(async () => {
  await coturn?.stop();
});

/** The TURN username the page's newest peer connection would use for a new allocation. */
function turnUsername(client: ParleyClient): Promise<string | null> {
  return client.page.evaluate(() => {
    const tracked = (window as unknown as { __trackedPeerConnections: RTCPeerConnection[] })
      .__trackedPeerConnections;
    const newest = tracked[tracked.length - 1];
    return newest?.getConfiguration().iceServers?.[0]?.username ?? null;
  });
}

test('fresh credentials reach a relayed call in progress, which keeps flowing', async () => {
  const alice = await env.registeredClient('alice', 'Alice');
  const bob = await env.registeredClient('bob', 'Bob');
  // Not contacts: the call is relayed through coturn.
  await alice.callByUsername('bob', 'video');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.callPath, 'data-route', 'relayed');
  }
  for (const client of [alice, bob]) {
    const first = await turnUsername(client);
    expect(first).toMatch(/^\d+:\d+$/);
    const later = await pollUntil(
      () => turnUsername(client),
      (username) => username !== first,
      'a fresh TURN username in the peer connection',
    );
    expect(Number(later!.split(':')[0])).toBeGreaterThan(Number(first!.split(':')[0]));
  }
  await expectMediaStillFlowing([alice, bob]);
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});
