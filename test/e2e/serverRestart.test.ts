import type { Browser } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { launchChromium } from './harness/chromium';
import { expectMediaStillFlowing } from './harness/mediaFlow';
import { ParleyClient } from './harness/parleyClient';
import { ServerProcess } from './harness/serverProcess';

// Real Chromium, a real call and a server process started twice on two cores.
jest.setTimeout(240_000);

let server: ServerProcess;
let browser: Browser;
const clients: ParleyClient[] = [];

beforeAll(async () => {
  server = await ServerProcess.start();
  browser = await launchChromium();
});

afterAll(async () => {
  await Promise.allSettled(clients.map((client) => client.close()));
  await browser?.close();
  await server?.close();
});

async function registered(username: string, displayName: string): Promise<ParleyClient> {
  const client = await ParleyClient.open(browser, server.url);
  clients.push(client);
  await client.register(username, displayName);
  return client;
}

test.each(['SIGKILL', 'SIGTERM'] as const)(
  'a call outlives a %s of the server: media never stops, both resume, hang-up ends it with the true duration',
  async (signal) => {
    // Each run has its own pair of users on the same server.
    const suffix = signal.toLowerCase();
    const alice = await registered(`alice-${suffix}`, 'Alice');
    const bob = await registered(`bob-${suffix}`, 'Bob');
    await alice.addContact(bob.username);
    // The callee has not added the caller, so the caller sees them offline (presence is shared
    // only with people one has added); they are signed in since their registration finished.
    await alice.waitForPresence(bob.username, 'offline');
    await alice.callContact(bob.username);
    await bob.waitForIncomingCall();
    await bob.click(testIds.acceptVideoButton);
    const answeredAt = Date.now();
    for (const client of [alice, bob]) {
      await client.waitForInCall();
      await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    }
    await expectMediaStillFlowing([alice, bob]);

    await server.kill(signal);
    await Promise.all([alice.waitForSignalingLost(true), bob.waitForSignalingLost(true)]);
    await expectMediaStillFlowing([alice, bob]);

    await server.launch();
    await Promise.all([alice.waitForSignalingLost(false), bob.waitForSignalingLost(false)]);
    await expectMediaStillFlowing([alice, bob]);
    for (const client of [alice, bob]) {
      await expect(client.byTestId(testIds.screenInCall).isVisible()).resolves.toBe(true);
    }

    await bob.click(testIds.hangupButton);
    const hungUpAt = Date.now();
    await bob.waitForCallEnded('hangup');
    await alice.waitForCallEnded('remote_hangup');
    const logged = await alice.waitForCallLogEntry('answered', bob.username);
    expect(Math.abs(logged - (hungUpAt - answeredAt))).toBeLessThan(2_000);
    await expect(bob.waitForCallLogEntry('answered', alice.username)).resolves.toBe(logged);
  },
);
