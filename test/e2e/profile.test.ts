import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { fileEnvironment } from './harness/fileEnvironment';
import { pollUntil } from './harness/pollUntil';

jest.setTimeout(180_000);

const env = fileEnvironment();

test('Alice changes her name in Settings: a bad name is refused in words, a good one is what Bob sees at once and after a reload', async () => {
  const alice = await env.registeredClient('alice', 'Alice');
  const bob = await env.registeredClient('bob', 'Bob');
  await becomeContacts(alice, bob);

  await alice.click(testIds.navSettings);
  await alice.waitForScreen(testIds.screenSettings);
  const input = alice.byTestId(testIds.displayNameEditInput);
  await expect(input.inputValue()).resolves.toBe('Alice');

  await input.fill('   ');
  await alice.click(testIds.displayNameSaveButton);
  await expect(alice.byTestId(testIds.displayNameEditError).innerText()).resolves.toBe(
    'Your name must not be empty.',
  );

  await input.fill('  Alice Liddell ');
  await alice.click(testIds.displayNameSaveButton);
  await alice.byTestId(testIds.displayNameSaved).waitFor();
  expect(await alice.byTestId(testIds.displayNameEditError).count()).toBe(0);

  // Pushed to Bob at once, and still there after a reload.
  await pollUntil(
    () => bob.byTestId(testIds.contactRow('alice')).innerText(),
    (text) => text.includes('Alice Liddell'),
    "Alice's new name pushed to Bob's contact list",
  );
  await bob.page.reload();
  await bob.waitForScreen(testIds.screenContacts);
  await pollUntil(
    () => bob.byTestId(testIds.contactRow('alice')).innerText(),
    (text) => text.includes('Alice Liddell'),
    "Alice's new name on Bob's contact list",
  );

  // Her own device keeps the new name after a reload too.
  await alice.page.reload();
  await alice.waitForScreen(testIds.screenContacts);
  await alice.click(testIds.navSettings);
  await pollUntil(
    () => alice.byTestId(testIds.displayNameEditInput).inputValue(),
    (value) => value === 'Alice Liddell',
    'the new name in Settings after a reload',
  );
});
