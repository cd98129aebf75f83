import { randomBytes } from 'node:crypto';
import { testIds } from '../../renderer/ui/testIds';
import { startCoturn, type RunningCoturn } from '../turn/coturn';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { expectMediaStillFlowing } from './harness/mediaFlow';

/**
 * A server that offers TURN over TLS only (the way through networks that allow little more than
 * TLS): a relayed call goes through coturn's TLS listener on 127.0.0.1 and says "Relayed (TLS)".
 */
jest.setTimeout(180_000);

const secret = randomBytes(24).toString('base64');
let coturn: RunningCoturn;

beforeAll(async () => {
  coturn = await startCoturn({ secret, tls: true, settings: { 'allow-loopback-peers': true } });
});

const env = fileEnvironment(() => {
  const tls = coturn.tls!;
  return {
    turn: { urls: [`turns:127.0.0.1:${tls.port}?transport=tcp`], secret, ttlSeconds: 3600 },
    chromiumArgs: [`--ignore-certificate-errors-spki-list=${tls.spkiHash}`],
  };
});

afterAll(async () => {
  await coturn?.stop();
});

test('with the relay reachable over TLS only, the call is relayed over TLS and says so', async () => {
  const alice = await env.registeredClient('alice', 'Alice');
  const bob = await env.registeredClient('bob', 'Bob');
  await becomeContacts(alice, bob);
  await alice.protectIpAddress();
  await bob.protectIpAddress();

  await alice.callContact('bob');
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);
  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.callPath, 'data-transport', 'TLS');
    await expect(client.byTestId(testIds.callPath).innerText()).resolves.toBe('Relayed (TLS)');
  }
  await expectMediaStillFlowing([alice, bob]);
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');
});
