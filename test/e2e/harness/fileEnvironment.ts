import { E2eEnvironment } from './e2eEnvironment';

/** What a test file does with its environment: open clients, and reach the server and browser. */
export type FileEnvironment = Pick<
  E2eEnvironment,
  'server' | 'browser' | 'newClient' | 'registeredClient' | 'registeredUserIn' | 'closeClient'
>;

/** How a test file's server and browsers are started. */
export type FileEnvironmentOptions = Parameters<typeof E2eEnvironment.start>[0];

/**
 * A file's environment (`fileEnvironment`), started and closed by the jest hooks its constructor
 * registers. A file's world with more in it extends this class (`aliceAndBobFile`), so it has every
 * member of FileEnvironment without forwarding any; `implements` makes a member added to
 * FileEnvironment a type error here until it is given. The methods are arrow fields: a test may
 * pass one on alone (`env.registeredClient`).
 */
export class HookedFileEnvironment implements FileEnvironment {
  private env: E2eEnvironment | undefined;

  constructor(
    options: FileEnvironmentOptions | (() => FileEnvironmentOptions) = {},
    { closeClientsAfterEach = false } = {},
  ) {
    beforeAll(async () => {
      this.env = await E2eEnvironment.start(typeof options === 'function' ? options() : options);
    });
    if (closeClientsAfterEach) {
      afterEach(async () => {
        await this.env?.closeClients();
      });
    }
    afterAll(async () => {
      await this.env?.close();
    });
  }

  get server(): E2eEnvironment['server'] {
    return this.started().server;
  }

  get browser(): E2eEnvironment['browser'] {
    return this.started().browser;
  }

  readonly newClient: E2eEnvironment['newClient'] = (clientOptions) =>
    this.started().newClient(clientOptions);

  readonly registeredClient: E2eEnvironment['registeredClient'] = (
    username,
    displayName,
    clientOptions,
  ) => this.started().registeredClient(username, displayName, clientOptions);

  readonly registeredUserIn: E2eEnvironment['registeredUserIn'] = (
    browser,
    username,
    displayName,
    clientOptions,
  ) => this.started().registeredUserIn(browser, username, displayName, clientOptions);

  readonly closeClient: E2eEnvironment['closeClient'] = (client) =>
    this.started().closeClient(client);

  private started(): E2eEnvironment {
    if (!this.env) throw new Error('The environment starts in beforeAll: use it in a test');
    return this.env;
  }
}

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
  settings: { closeClientsAfterEach?: boolean } = {},
): FileEnvironment {
  return new HookedFileEnvironment(options, settings);
}
