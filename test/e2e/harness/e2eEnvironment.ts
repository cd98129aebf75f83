import type { Browser } from 'playwright-core';
import type { Browser as FirefoxBrowser } from 'puppeteer-core';
import { launchChromium } from './chromium';
import { launchFirefox, openFirefoxUser } from './firefox';
import { ParleyClient, type ClientOptions } from './parleyClient';
import type { ParleyUser } from './parleyUser';
import type { ServerOptions } from '../../../server/app';
import type { TurnOptions } from '../../../server/turn/IceIssuer';
import { startTestServer, type TestServer } from './testServer';

/** The browsers a test can open a user in. */
export type BrowserName = 'Chromium' | 'Firefox';

/**
 * One test file's world: the real server and one headless Chromium (and, when asked, one headless
 * Firefox), and the clients opened in them. Clients are closed by `closeClients` (afterEach) and
 * everything by `close` (afterAll).
 */
export class E2eEnvironment {
  private readonly clients = new Set<ParleyUser>();

  private constructor(
    readonly server: TestServer,
    readonly browser: Browser,
    private readonly firefox: FirefoxBrowser | null,
  ) {}

  static async start(
    options: {
      ringTimeoutMs?: number;
      reconnectGraceMs?: number;
      cameras?: number;
      turn?: TurnOptions;
      inviteLimits?: ServerOptions['inviteLimits'];
      hostnames?: string[];
      sfu?: ServerOptions['sfu'];
      chromiumArgs?: string[];
      /** Also launch Firefox, for `newFirefoxUser`. */
      firefox?: boolean;
    } = {},
  ): Promise<E2eEnvironment> {
    const { cameras, chromiumArgs, firefox, ...serverOptions } = options;
    const server = await startTestServer(serverOptions);
    let chromium: Browser | null = null;
    try {
      chromium = await launchChromium({
        ...(cameras ? { cameras } : {}),
        ...(chromiumArgs ? { extraArgs: chromiumArgs } : {}),
      });
      return new E2eEnvironment(server, chromium, firefox ? await launchFirefox() : null);
    } catch (error) {
      await chromium?.close();
      await server.close();
      throw error;
    }
  }

  async newClient(options: ClientOptions = {}): Promise<ParleyClient> {
    const client = await ParleyClient.open(this.browser, this.server.url, options);
    this.clients.add(client);
    return client;
  }

  /** A new client that went through the first run screen as this user. */
  async registeredClient(
    username: string,
    displayName: string,
    options: ClientOptions = {},
  ): Promise<ParleyClient> {
    const client = await this.newClient(options);
    await client.register(username, displayName);
    return client;
  }

  /** A user of the web client in Firefox (the environment must be started with `firefox`). */
  async newFirefoxUser(
    options: Pick<ClientOptions, 'url' | 'initScripts'> = {},
  ): Promise<ParleyUser> {
    if (!this.firefox) throw new Error('this environment was started without Firefox');
    const user = await openFirefoxUser(this.firefox, this.server.url, options);
    this.clients.add(user);
    return user;
  }

  /** A new Firefox user that went through the first run screen as this user. */
  async registeredFirefoxUser(
    username: string,
    displayName: string,
    options: Pick<ClientOptions, 'url' | 'initScripts'> = {},
  ): Promise<ParleyUser> {
    const user = await this.newFirefoxUser(options);
    await user.register(username, displayName);
    return user;
  }

  /** A registered user in either browser, for tests that run the same steps in both. */
  registeredUserIn(
    browser: BrowserName,
    username: string,
    displayName: string,
    options: Pick<ClientOptions, 'url' | 'initScripts'> = {},
  ): Promise<ParleyUser> {
    return browser === 'Chromium'
      ? this.registeredClient(username, displayName, options)
      : this.registeredFirefoxUser(username, displayName, options);
  }

  async closeClient(client: ParleyUser): Promise<void> {
    this.clients.delete(client);
    await client.close();
  }

  async closeClients(): Promise<void> {
    const open = [...this.clients];
    this.clients.clear();
    await Promise.allSettled(open.map((client) => client.close()));
  }

  async close(): Promise<void> {
    await this.closeClients();
    try {
      await Promise.all([this.browser.close(), this.firefox?.close()]);
    } finally {
      await this.server.close();
    }
  }
}
