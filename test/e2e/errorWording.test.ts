import { testIds } from '../../renderer/ui/testIds';
import { E2eEnvironment } from './harness/e2eEnvironment';

// Real Chromium on two cores: steps are waited for, never timed.
jest.setTimeout(120_000);

const STEP_TIMEOUT_MS = 30_000;

let env: E2eEnvironment;

beforeAll(async () => {
  env = await E2eEnvironment.start();
});

afterEach(async () => {
  await env.closeClients();
});

afterAll(async () => {
  await env?.close();
});

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
