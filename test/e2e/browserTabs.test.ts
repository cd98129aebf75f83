import { testIds } from '../../renderer/ui/testIds';
import { answerAndConnect, becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment();

/** The tab signed in as this user, on its contacts screen. */
async function waitForSignedInAs(tab: ParleyClient, username: string): Promise<void> {
  await tab.waitForScreen(testIds.screenContacts);
  await pollUntil(
    () => tab.byTestId(testIds.selfUsername).innerText(),
    (shown) => shown.includes(username),
    `the tab to be signed in as ${username}`,
  );
}

test('a second tab of the same browser says Parley is open in another tab; "Use here" moves the account to it without signing in, and back again', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(bob, alice);

  const second = await alice.openAnotherTab();
  await second.waitForScreen(testIds.screenOtherTab);
  // Not an invitation to create a second account.
  expect(await second.byTestId(testIds.screenFirstRun).count()).toBe(0);
  // The first tab keeps the account meanwhile.
  await waitForSignedInAs(alice, 'alice');

  await second.click(testIds.useHereButton);
  await waitForSignedInAs(second, 'alice');
  await alice.waitForScreen(testIds.screenOtherTab);
  expect(await alice.byTestId(testIds.otherTabCallEnded).count()).toBe(0);
  // The second tab is the device now: Bob's call rings there.
  await bob.waitForPresence('alice', 'online');
  await bob.callContact('alice');
  expect(await second.waitForIncomingCall()).toContain('Bob Marley');
  await second.click(testIds.declineButton);
  await bob.waitForCallEnded('declined');

  // And back to the first tab.
  await alice.click(testIds.useHereButton);
  await waitForSignedInAs(alice, 'alice');
  await second.waitForScreen(testIds.screenOtherTab);
  await bob.waitForPresence('alice', 'online');
  await bob.callContact('alice');
  await alice.waitForIncomingCall();
  await alice.click(testIds.declineButton);
  await bob.waitForCallEnded('declined');
  await second.close();
});

test('taking the account over during a call ends the call, and the tab that had it says so', async () => {
  const carol = await env.registeredClient('carol', 'Carol King');
  const dave = await env.registeredClient('dave', 'Dave Grohl');
  await becomeContacts(dave, carol);
  const second = await carol.openAnotherTab();
  await second.waitForScreen(testIds.screenOtherTab);

  await dave.callContact('carol');
  await answerAndConnect(dave, carol);
  await second.click(testIds.useHereButton);

  await carol.waitForScreen(testIds.screenOtherTab);
  expect(await carol.byTestId(testIds.otherTabCallEnded).innerText()).toContain('Dave Grohl');
  await dave.waitForCallEnded('remote_hangup');
  await waitForSignedInAs(second, 'carol');
  // The second tab is not left in the call: it is idle, and Carol can be called again there.
  await dave.waitForPresence('carol', 'online');
  await dave.callContact('carol');
  await second.waitForIncomingCall();
  await second.click(testIds.declineButton);
  await dave.waitForCallEnded('declined');
  await second.close();
});
