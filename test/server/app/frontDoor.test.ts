import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import WebSocket from 'ws';
import { startServer, type ServerOptions } from '../../../server/app';
import { selfSignedCertificate } from '../../tls/selfSignedCertificate';
import { TestServer } from '../support/testServer';

/**
 * Who may come in: Host and Origin are checked before the upgrade (and Host for plain HTTP), and
 * one address may hold only so many connections; behind a trusted proxy the address comes from
 * X-Forwarded-For. A refusal is an HTTP answer: no WebSocket ever exists.
 */

interface Refused {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Tries the upgrade with these headers: 'open' (then closed again) or the HTTP refusal. */
function tryUpgrade(
  wsUrl: string,
  headers: Record<string, string>,
  options: WebSocket.ClientOptions = {},
): Promise<'open' | Refused> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(wsUrl, { ...options, headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    socket.once('error', reject);
  });
}

/** A plain GET with a chosen Host header. */
function get(url: string, path: string, host: string): Promise<Refused> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port, path, headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

/** The server's log lines, as an operator reads them. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

const scratch = mkdtempSync(join(tmpdir(), 'parley-front-door-'));
const webRoot = join(scratch, 'web');
mkdirSync(webRoot);
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Parley</title>');

let server: TestServer;
let log: ReturnType<typeof capturedLogger>;
const started: TestServer[] = [];

async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  log = capturedLogger();
  server = await TestServer.start({ webRoot, logger: log.logger, ...options });
  started.push(server);
  return server;
}

afterEach(async () => {
  for (const running of started.splice(0)) await running.dispose();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Proves a connection works: `ping` is answered `ok`. */
async function pingWorks(headers: Record<string, string>): Promise<void> {
  const client = await server.client(headers);
  await expect(client.request({ type: 'ping' })).resolves.toMatchObject({ type: 'ok' });
}

describe('Origin', () => {
  beforeEach(() => start({ allowedOrigins: ['https://web.example'] }));

  test('a page from another origin is refused with 403 before any WebSocket exists', async () => {
    const refused = await tryUpgrade(server.server.wsUrl, { Origin: 'https://evil.example' });
    expect(refused).toMatchObject({
      status: 403,
      body: 'pages from "https://evil.example" may not connect\n',
    });
    expect(log.lines).toContainEqual(
      expect.objectContaining({
        status: 403,
        origin: 'https://evil.example',
        address: '127.0.0.1',
      }),
    );
  });

  test("the server's own origin, the desktop app, configured origins and no Origin connect", async () => {
    await pingWorks({ Origin: server.server.url });
    await pingWorks({ Origin: 'app://parley' });
    await pingWorks({ Origin: 'https://web.example' });
    await pingWorks({});
  });

  test('the same host on another port or scheme is another origin', async () => {
    const { port } = server.server;
    for (const origin of [`http://127.0.0.1:${port + 1}`, `https://127.0.0.1:${port}`, 'null']) {
      expect(await tryUpgrade(server.server.wsUrl, { Origin: origin })).toMatchObject({
        status: 403,
      });
    }
  });
});

test('with TLS the own origin is https', async () => {
  const { cert, key } = selfSignedCertificate(scratch, '127.0.0.1');
  await start({ tls: { certFile: cert, keyFile: key } });
  const insecure = { rejectUnauthorized: false };
  const url = server.server.url;
  expect(await tryUpgrade(server.server.wsUrl, { Origin: url }, insecure)).toBe('open');
  expect(
    await tryUpgrade(server.server.wsUrl, { Origin: url.replace('https:', 'http:') }, insecure),
  ).toMatchObject({ status: 403 });
});

test('behind a trusted TLS proxy the own origin is https on the public name', async () => {
  await start({ hostnames: ['parley.example.com'], trustedProxies: ['127.0.0.1'] });
  const proxied = {
    Host: 'parley.example.com',
    Origin: 'https://parley.example.com',
    'X-Forwarded-For': '198.51.100.20',
  };
  expect(await tryUpgrade(server.server.wsUrl, { ...proxied, 'X-Forwarded-Proto': 'https' })).toBe(
    'open',
  );
  // Without the proxy's word the page's https origin is not this plain-http server's.
  expect(await tryUpgrade(server.server.wsUrl, proxied)).toMatchObject({ status: 403 });
});

describe('Host', () => {
  beforeEach(() => start({ hostnames: ['parley.example.com'] }));

  test('a rebinding name is refused for HTTP and for the upgrade', async () => {
    const page = await get(server.server.url, '/', 'attacker.example:8080');
    expect(page).toMatchObject({
      status: 421,
      body: 'this server does not answer to the name attacker.example\n',
    });
    expect(page.body).not.toContain('Parley');
    const upgrade = await tryUpgrade(server.server.wsUrl, {
      Host: 'attacker.example:8080',
      Origin: 'http://attacker.example:8080',
    });
    expect(upgrade).toMatchObject({ status: 421 });
    expect(log.lines).toContainEqual(
      expect.objectContaining({ status: 421, host: 'attacker.example' }),
    );
  });

  test("another machine's address is refused: a server there could relay its clients' sign-ins here", async () => {
    const page = await get(server.server.url, '/healthz', '203.0.113.5:443');
    expect(page).toMatchObject({ status: 421 });
    expect(page.body).toContain('does not answer to the address 203.0.113.5');
    const upgrade = await tryUpgrade(server.server.wsUrl, { Host: '203.0.113.5' });
    expect(upgrade).toMatchObject({ status: 421 });
  });

  test("the machine's own addresses, localhost and configured names are answered, on any port", async () => {
    for (const host of ['127.0.0.1:1', '[::1]:8080', 'localhost', 'Parley.Example.com:443']) {
      const page = await get(server.server.url, '/', host);
      expect({ host, status: page.status, body: page.body }).toEqual({
        host,
        status: 200,
        body: '<!doctype html><title>Parley</title>',
      });
      await pingWorks({ Host: host });
    }
  });

  test('a malformed Host is a bad request', async () => {
    expect(await get(server.server.url, '/healthz', 'bad host')).toMatchObject({ status: 400 });
    expect(await get(server.server.url, '/healthz', 'localhost:99999')).toMatchObject({
      status: 400,
    });
    // A port no client could have connected to names no server origin to sign in at.
    expect(await tryUpgrade(server.server.wsUrl, { Host: 'localhost:99999' })).toMatchObject({
      status: 400,
      body: 'the Host header is malformed\n',
    });
  });
});

describe('connections per address', () => {
  test('one more than the limit is refused with 429, while another address still connects', async () => {
    await start({ trustedProxies: ['127.0.0.1'], addressLimits: { connections: 2 } });
    const first = { 'X-Forwarded-For': '203.0.113.5' };
    const held = [await server.client(first), await server.client(first)];
    const refused = await tryUpgrade(server.server.wsUrl, first);
    expect(refused).toMatchObject({
      status: 429,
      body: 'too many connections from your address (at most 2 at once)\n',
    });
    expect((refused as Refused).headers['retry-after']).toMatch(/^\d+$/);
    await pingWorks({ 'X-Forwarded-For': '203.0.113.6' });

    // A closed connection frees its place.
    await held[0]!.close();
    await pingWorks(first);
  });

  test('X-Forwarded-For from a peer that is not a trusted proxy is ignored', async () => {
    await start({ addressLimits: { connections: 2 } });
    await server.client({ 'X-Forwarded-For': '203.0.113.5' });
    await server.client({ 'X-Forwarded-For': '203.0.113.6' });
    expect(
      await tryUpgrade(server.server.wsUrl, { 'X-Forwarded-For': '203.0.113.7' }),
    ).toMatchObject({ status: 429 });
  });

  test("the connection's log names the address it comes from", async () => {
    await start({ trustedProxies: ['127.0.0.0/8'] });
    const client = await server.client({ 'X-Forwarded-For': '1.1.1.1, 198.51.100.9' });
    await client.register('alice');
    expect(log.lines).toContainEqual(
      expect.objectContaining({ msg: 'signed in', user: 'alice', address: '198.51.100.9' }),
    );
  });
});

test.each([
  [{ hostnames: ['https://parley.example.com'] }, /https:\/\/parley.example.com/],
  [{ allowedOrigins: ['web.example'] }, /web.example/],
  [{ trustedProxies: ['proxy.example'] }, /proxy.example/],
])('a server with a malformed %j does not start', async (options, message) => {
  await expect(
    startServer({ port: 0, dataDir: scratch, logger: pino({ level: 'silent' }), ...options }),
  ).rejects.toThrow(message);
});
