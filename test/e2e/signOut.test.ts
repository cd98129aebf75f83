import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';

jest.setTimeout(180_000);

const env = fileEnvironment();

test("signing out of the account's only device warns that the account becomes unreachable, keeps it when refused, and deletes the key when confirmed", async () => {
  const alice = await env.registeredClient('alice', 'Alice');
  await alice.click(testIds.navDevices);
  await alice.waitForScreen(testIds.screenDevices);
  await alice.byTestId(testIds.deviceRow).waitFor();

  const questions: string[] = [];
  let accept = false;
  alice.page.on('dialog', (dialog) => {
    questions.push(dialog.message());
    void (accept ? dialog.accept() : dialog.dismiss());
  });

  await alice.click(testIds.signOutButton);
  expect(questions).toHaveLength(1);
  expect(questions[0]).toContain("your account's only device");
  expect(questions[0]).toContain('unreachable');
  // Refused: still signed in, the device still listed.
  await alice.waitForScreen(testIds.screenDevices);
  expect(await alice.byTestId(testIds.deviceRow).count()).toBe(1);

  accept = true;
  await alice.click(testIds.signOutButton);
  await alice.waitForScreen(testIds.screenFirstRun);
  await expect(alice.byTestId(testIds.firstRunError).innerText()).resolves.toContain(
    "This device's key was deleted",
  );

  // The key is gone from the browser: after a reload the page offers to register or link.
  await alice.page.reload();
  await alice.waitForScreen(testIds.screenFirstRun);
  // And the server no longer has the device: the username is still taken, by an account no
  // device can reach.
  const other = await env.newClient();
  await other.waitForScreen(testIds.screenFirstRun);
  await other.byTestId(testIds.usernameInput).fill('alice');
  await other.click(testIds.registerButton);
  await other.byTestId(testIds.firstRunError).waitFor();
  await expect(other.byTestId(testIds.firstRunError).innerText()).resolves.toMatch(/taken/i);
});
