import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ensureRendererBuilt } from '../../e2e/harness/rendererBuild';
import { ParleyClient, type ClientOptions } from '../../e2e/harness/parleyClient';
import { launchChromiumIn } from './labChromium';
import { LabNetwork, type Peer } from './labNetwork';
import { LabServer } from './labServer';
import { LabTurn } from './labTurn';

export interface LabOptions {
  /** Whether the server hands out coturn's URLs and credentials (default true). */
  turn?: boolean;
  /** More server flags. */
  serverFlags?: string[];
  /** Peers whose sending `network.impair` can delay and drop. */
  impairable?: Peer[];
}

/**
 * One test file's namespace lab: the network, coturn, the Parley server and one Chromium in each
 * peer's namespace, and the clients opened in them. `closeClients` (afterEach) and `close`
 * (afterAll) tear down; the network's LabReaper does it if the test process dies first.
 */
export class LabEnvironment {
  private readonly clients = new Set<ParleyClient>();

  private constructor(
    readonly network: LabNetwork,
    readonly turn: LabTurn,
    readonly server: LabServer,
    private readonly browsers: Record<Peer, Browser>,
    private readonly tearDown: () => void,
  ) {}

  static async start(options: LabOptions = {}): Promise<LabEnvironment> {
    ensureRendererBuilt();
    const network = await LabNetwork.create({ impairable: options.impairable ?? [] });
    const folder = mkdtempSync(join(tmpdir(), 'parley-netlab-'));
    network.reaper.removeFolder(folder);
    const tearDown = () => {
      network.tearDown();
      rmSync(folder, { recursive: true, force: true });
    };
    try {
      const turn = await LabTurn.start({
        namespace: network.namespace('turn'),
        host: network.address('turn'),
        secret: randomBytes(16).toString('hex'),
        folder,
      });
      const dataDir = join(folder, 'server-data');
      const server = new LabServer(
        network.namespace('server'),
        network.address('server'),
        dataDir,
        [
          ...(options.turn === false
            ? []
            : ['--turn-urls', turn.urls.join(','), '--turn-secret', turn.secret]),
          ...(options.serverFlags ?? []),
        ],
      );
      await server.start();
      const launch = (peer: Peer) =>
        launchChromiumIn({
          namespace: network.namespace(peer),
          folder,
          turnHost: turn.host,
          serverHost: network.address('server'),
          serverOrigin: server.url,
          turnSpkiHash: turn.spkiHash,
        });
      const browsers = { a: await launch('a'), b: await launch('b') };
      return new LabEnvironment(network, turn, server, browsers, tearDown);
    } catch (error) {
      tearDown();
      throw error;
    }
  }

  browser(peer: Peer): Browser {
    return this.browsers[peer];
  }

  async newClient(peer: Peer, options: ClientOptions = {}): Promise<ParleyClient> {
    const client = await ParleyClient.open(this.browsers[peer], this.server.url, options);
    this.clients.add(client);
    return client;
  }

  /** A new client in the peer's namespace that went through the first run screen as this user. */
  async registeredClient(
    peer: Peer,
    username: string,
    displayName: string,
    options: ClientOptions = {},
  ): Promise<ParleyClient> {
    const client = await this.newClient(peer, options);
    await client.register(username, displayName);
    return client;
  }

  /**
   * Alice on peer A and Bob on peer B, each in the other's contacts (calls between contacts may go
   * direct unless the network forces the relay).
   */
  async contactsAliceAndBob(
    bobOptions: ClientOptions = {},
  ): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
    const alice = await this.registeredClient('a', 'alice', 'Alice Liddell');
    const bob = await this.registeredClient('b', 'bob', 'Bob Marley', bobOptions);
    await alice.addContact('bob');
    await bob.addContact('alice');
    return { alice, bob };
  }

  async closeClients(): Promise<void> {
    const open = [...this.clients];
    this.clients.clear();
    await Promise.allSettled(open.map((client) => client.close()));
  }

  async close(): Promise<void> {
    try {
      await this.closeClients();
      await Promise.allSettled(Object.values(this.browsers).map((browser) => browser.close()));
      await this.server.stop();
      await this.turn.stop();
    } finally {
      this.tearDown();
    }
  }
}
