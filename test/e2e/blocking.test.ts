import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts, registerAliceAndBob } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';

jest.setTimeout(180_000);

const env = fileEnvironment();

/** Opens the contact's page from the contact list. */
async function openContactPage(client: ParleyClient, username: string): Promise<void> {
  await client.click(testIds.openContact(username));
  await client.waitForScreen(testIds.screenContact);
}

test('Bob blocks Alice: her call never rings him and ends as busy, and she no longer sees him online', async () => {
  const { alice, bob } = await registerAliceAndBob(env);

  bob.page.on('dialog', (dialog) => void dialog.accept());
  await openContactPage(bob, 'alice');
  await bob.click(testIds.blockContactButton);
  await bob.waitForAttribute(testIds.blockContactButton, 'aria-pressed', 'true');
  await bob.byTestId(testIds.contactBlocked).waitFor();

  await alice.waitForPresence('bob', 'offline');
  await alice.callContact('bob');
  await alice.waitForCallEnded('busy');
  // Bob's device never showed an incoming call.
  expect(await bob.readScreensSeen()).not.toContain(testIds.screenIncoming);

  // After a reload Bob's page still says blocked; unblocking brings his presence back to Alice.
  await bob.page.reload();
  await bob.waitForScreen(testIds.screenContacts);
  await openContactPage(bob, 'alice');
  await bob.waitForAttribute(testIds.blockContactButton, 'aria-pressed', 'true');
  await bob.click(testIds.blockContactButton);
  await bob.waitForAttribute(testIds.blockContactButton, 'aria-pressed', 'false');
  await alice.waitForPresence('bob', 'online');
});

test('a removed contact leaves the list, also after a reload, and stops seeing your presence', async () => {
  const carol = await env.registeredClient('carol', 'Carol');
  const dave = await env.registeredClient('dave', 'Dave');
  await env.registeredClient('erin', 'Erin');
  await carol.addContact('erin');
  await becomeContacts(carol, dave);
  await dave.waitForPresence('carol', 'online');

  carol.page.on('dialog', (dialog) => void dialog.accept());
  await openContactPage(carol, 'dave');
  await carol.click(testIds.removeContactButton);
  await carol.waitForScreen(testIds.screenContacts);
  await carol.byTestId(testIds.contactRow('dave')).waitFor({ state: 'detached' });
  await dave.waitForPresence('carol', 'offline');

  await carol.page.reload();
  await carol.waitForScreen(testIds.screenContacts);
  // Once the list is back (erin is on it), dave is not.
  await carol.byTestId(testIds.contactRow('erin')).waitFor();
  expect(await carol.byTestId(testIds.contactRow('dave')).count()).toBe(0);
});
