import { E2eEnvironment } from './e2eEnvironment';

/** What a test file does with its environment: open clients, and reach the server and browser. */
export type FileEnvironment = Pick<
  E2eEnvironment,
  'server' | 'browser' | 'newClient' | 'registeredClient' | 'registeredUserIn' | 'closeClient'
>;

/** How a test file's server and browsers are started. */
export type FileEnvironmentOptions = Parameters<typeof E2eEnvironment.start>[0];

/**
 * The world of one e2e test file, set up by the jest hooks this registers: the real server and
 * Chromium, started before the file's first test and closed, with every client, after its last
 * (and each test's clients after it, with `closeClientsAfterEach`). `options` may be a function,
 * read in beforeAll, for options that hang on something an earlier beforeAll started (a TURN
 * server's port). Call it once, at the top level of the file (or of each describe block that
 * needs a world of its own).
 */
export function fileEnvironment(
  options: FileEnvironmentOptions | (() => FileEnvironmentOptions) = {},
  { closeClientsAfterEach = false } = {},
): FileEnvironment {
  let env: E2eEnvironment | undefined;

  beforeAll(async () => {
    env = await E2eEnvironment.start(typeof options === 'function' ? options() : options);
  });
  if (closeClientsAfterEach) {
    afterEach(async () => {
      await env?.closeClients();
    });
  }
  afterAll(async () => {
    await env?.close();
  });

  const started = (): E2eEnvironment => {
    if (!env) throw new Error('The environment starts in beforeAll: use it in a test');
    return env;
  };
  return {
    get server() {
      return started().server;
    },
    get browser() {
      return started().browser;
    },
    newClient: (clientOptions) => started().newClient(clientOptions),
    registeredClient: (username, displayName, clientOptions) =>
      started().registeredClient(username, displayName, clientOptions),
    registeredUserIn: (browser, username, displayName, clientOptions) =>
      started().registeredUserIn(browser, username, displayName, clientOptions),
    closeClient: (client) => started().closeClient(client),
  };
}
