import { testIds } from '../../renderer/ui/testIds';
import { launchChromium } from './harness/chromium';
import { fileEnvironment } from './harness/fileEnvironment';

// Real Chromium on two cores: steps are waited for, never timed.
jest.setTimeout(120_000);

const STEP_TIMEOUT_MS = 30_000;

// parley.test: a name the page can be served under over plain http (see the last test).
const env = fileEnvironment({ hostnames: ['parley.test'] }, { closeClientsAfterEach: true });

test('registering a taken username says so in a sentence, not the server field path', async () => {
  await env.registeredClient('alice', 'Alice');
  const other = await env.newClient();
  await other.waitForScreen(testIds.screenFirstRun);
  await other.byTestId(testIds.usernameInput).fill('alice');
  await other.byTestId(testIds.displayNameInput).fill('Another Alice');
  await other.byTestId(testIds.registerButton).click();

  const error = other.byTestId(testIds.firstRunError);
  await error.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  // Before, this showed the server's "username: alice is taken".
  expect(await error.innerText()).toBe('That username is taken. Choose another one.');
  await other.waitForScreen(testIds.screenFirstRun);
});

test('adding yourself as a contact says so in a sentence, not the server field path', async () => {
  const bob = await env.registeredClient('bob', 'Bob');
  await bob.byTestId(testIds.addContactInput).fill('bob');
  await bob.byTestId(testIds.addContactButton).click();

  const error = bob.byTestId(testIds.addContactError);
  await error.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  // Before, this showed the server's "username: you cannot add yourself".
  expect(await error.innerText()).toBe("You can't add yourself as a contact.");
  expect(await bob.byTestId(testIds.contactRow('bob')).count()).toBe(0);
});

test('a call the server refuses ends with the refusal in words, not its code', async () => {
  const carol = await env.registeredClient('carol', 'Carol');
  // The server refuses a call to oneself (cannot_call_self); the page sends it as typed.
  await carol.callByUsername('carol', 'audio');
  await carol.waitForCallEnded('error');
  const notice = await carol.byTestId(testIds.callNotice).innerText();
  expect(notice).toContain("The call failed: You can't call yourself.");
  expect(notice).not.toContain('cannot_call_self');
  await carol.waitForScreen(testIds.screenContacts);
});

test('a page on a plain http name says why Parley cannot start there, in a sentence', async () => {
  // parley.test resolves to the test server over plain http: not a secure context, so the browser
  // offers no Web Crypto for the device key. Every other name still resolves to nothing.
  const browser = await launchChromium({
    extraArgs: ['--host-resolver-rules=MAP parley.test 127.0.0.1, MAP * ~NOTFOUND'],
  });
  try {
    const page = await browser.newPage();
    const port = new URL(env.server.url).port;
    await page.goto(`http://parley.test:${port}/`);
    const status = page.getByRole('status');
    await status.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    expect(await status.getByRole('heading').innerText()).toBe('Parley could not start');
    expect(await status.locator('p').innerText()).toBe(
      'Parley needs a secure page (https:// or localhost) for its encryption keys.',
    );
  } finally {
    await browser.close();
  }
});
