import { testIds } from '../../renderer/ui/testIds';
import type { Browser } from 'playwright-core';
import { becomeContacts } from './harness/callSetup';
import { launchChromium } from './harness/chromium';
import { fileEnvironment } from './harness/fileEnvironment';
import { ParleyClient } from './harness/parleyClient';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = fileEnvironment();
/** A browser that asks before handing out camera or microphone: each context says what it allows. */
let asking: Browser;
const ownClients: ParleyClient[] = [];

beforeAll(async () => {
  asking = await launchChromium({ askForMedia: true });
});

afterAll(async () => {
  for (const client of ownClients) await client.close();
  await asking?.close();
});

/** A user whose browser gives the page only these inputs: the others were blocked. */
async function clientAllowing(
  granted: ('camera' | 'microphone')[],
  username: string,
  displayName: string,
): Promise<ParleyClient> {
  const client = await ParleyClient.open(asking, env.server.url, { granted });
  ownClients.push(client);
  await client.register(username, displayName);
  return client;
}

test("a callee whose microphone is blocked couldn't answer: the caller is told exactly that, not 'declined', and both logs say failed", async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  // Bob's browser lets the page use his camera, but he blocked the microphone.
  const bob = await clientAllowing(['camera'], 'bob', 'Bob Marley');
  await becomeContacts(alice, bob);

  await alice.callContact(bob.username);
  await bob.waitForIncomingCall();
  await bob.click(testIds.acceptVideoButton);

  await alice.waitForCallEnded('peer_microphone_denied');
  expect(await alice.byTestId(testIds.callNotice).innerText()).toContain(
    "Bob Marley couldn't answer: Bob Marley's microphone is blocked",
  );
  // Bob is told what to do about it on his side.
  await bob.waitForCallEnded('permission_denied');

  for (const client of [alice, bob]) {
    await client.click(testIds.navCallLog);
    const entry = client.byTestId(testIds.callLogEntry).first();
    await entry.waitFor();
    expect(await entry.getAttribute('data-outcome')).toBe('failed');
    expect(await entry.getAttribute('data-duration-ms')).toBe('0');
    expect(await entry.innerText()).toContain('Failed');
  }
});
