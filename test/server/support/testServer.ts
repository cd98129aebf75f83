import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { startServer, type RunningServer, type ServerOptions } from '../../../server/app';
import { TestClient } from './TestClient';

/** A real server on a random loopback port with a fresh data folder, and its clients. */
export class TestServer {
  server!: RunningServer;
  private readonly clients: TestClient[] = [];

  constructor(
    readonly dataDir = mkdtempSync(join(tmpdir(), 'parley-server-')),
    private readonly options: Partial<ServerOptions> = {},
  ) {}

  static async start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
    const testServer = new TestServer(undefined, options);
    await testServer.restart();
    return testServer;
  }

  /** Starts (again) on the same data folder. */
  async restart(): Promise<void> {
    this.server = await startServer({
      port: 0,
      dataDir: this.dataDir,
      logger: pino({ level: 'silent' }),
      ...this.options,
    });
  }

  async client(headers: Record<string, string> = {}): Promise<TestClient> {
    const client = await TestClient.connect(this.server.wsUrl, headers);
    this.clients.push(client);
    return client;
  }

  /** A connected client signed in as a new account. */
  async registered(username: string, headers: Record<string, string> = {}): Promise<TestClient> {
    const client = await this.client(headers);
    const reply = await client.register(username);
    if (reply.type !== 'session') throw new Error(`register failed: ${JSON.stringify(reply)}`);
    return client;
  }

  /** A new device of the approver's account, linked through the protocol and signed in. */
  async linkedDevice(approver: TestClient, deviceName = 'linked device'): Promise<TestClient> {
    const client = await this.client();
    const code = await client.requestLink(deviceName);
    if (code.type !== 'link.code') throw new Error(`link.request failed: ${JSON.stringify(code)}`);
    const devices = await approver.approveLink(code.code);
    if (devices.type !== 'devices') throw new Error(`approve failed: ${JSON.stringify(devices)}`);
    await client.linkApproved();
    return client;
  }

  /** Stops the server; fails if it ever sent a message that breaks the protocol schema. */
  async stop(): Promise<void> {
    const invalid = this.clients.flatMap((client) => client.invalid);
    for (const client of this.clients) client.socket.terminate();
    this.clients.length = 0;
    await this.server.close();
    if (invalid.length > 0)
      throw new Error(`server sent invalid messages: ${JSON.stringify(invalid)}`);
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
