import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium';
import { ParleyClient, type ClientOptions } from './parleyClient';
import type { ServerOptions } from '../../../server/app';
import type { TurnOptions } from '../../../server/turn/IceIssuer';
import { startTestServer, type TestServer } from './testServer';

/**
 * One test file's world: the real server and one headless Chromium, and the clients opened in it.
 * Clients are closed by `closeClients` (afterEach) and everything by `close` (afterAll).
 */
export class E2eEnvironment {
  private readonly clients = new Set<ParleyClient>();

  private constructor(
    readonly server: TestServer,
    readonly browser: Browser,
  ) {}

  static async start(
    options: {
      ringTimeoutMs?: number;
      reconnectGraceMs?: number;
      cameras?: number;
      turn?: TurnOptions;
      inviteLimits?: ServerOptions['inviteLimits'];
      hostnames?: string[];
      chromiumArgs?: string[];
    } = {},
  ): Promise<E2eEnvironment> {
    const { cameras, chromiumArgs, ...serverOptions } = options;
    const server = await startTestServer(serverOptions);
    try {
      return new E2eEnvironment(
        server,
        await launchChromium({
          ...(cameras ? { cameras } : {}),
          ...(chromiumArgs ? { extraArgs: chromiumArgs } : {}),
        }),
      );
    } catch (error) {
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

  async closeClient(client: ParleyClient): Promise<void> {
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
      await this.browser.close();
    } finally {
      await this.server.close();
    }
  }
}
