import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { CONTENT_SECURITY_POLICY } from '../../../server/http/securityHeaders';
import { selfSignedCertificate } from '../../tls/selfSignedCertificate';
import { TestServer } from '../support/testServer';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: the path is sent exactly as given (no URL normalisation of `..`). */
function get(base: string, path: string, method = 'GET'): Promise<Reply> {
  const url = new URL(base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path, method, rejectUnauthorized: false },
      (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'parley-http-'));
const webRoot = join(scratch, 'web');
mkdirSync(join(webRoot, 'assets'), { recursive: true });
writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>Parley</title>');
writeFileSync(join(webRoot, 'app.js'), 'console.log("parley")');
// A production build leaves source maps beside the bundles; they embed the sources.
writeFileSync(join(webRoot, 'app.js.map'), '{"sourcesContent":["top secret"]}');
writeFileSync(join(webRoot, 'styles.css'), 'body{}');
writeFileSync(join(webRoot, 'assets', 'icon.svg'), '<svg/>');
writeFileSync(join(scratch, 'secret.txt'), 'top secret');
symlinkSync(join(scratch, 'secret.txt'), join(webRoot, 'linked.txt'));

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start({ webRoot });
});
afterAll(async () => {
  await server.dispose();
  rmSync(scratch, { recursive: true, force: true });
});

test('GET /healthz answers ok', async () => {
  const reply = await get(server.server.url, '/healthz');
  expect(reply.status).toBe(200);
  expect(JSON.parse(reply.body)).toEqual({ status: 'ok' });
  expect(reply.headers['content-type']).toMatch(/^application\/json/);
});

test.each([
  ['/', 'text/html; charset=utf-8', '<!doctype html><title>Parley</title>'],
  ['/app.js', 'text/javascript; charset=utf-8', 'console.log("parley")'],
  ['/styles.css', 'text/css; charset=utf-8', 'body{}'],
  ['/assets/icon.svg', 'image/svg+xml', '<svg/>'],
])('serves %s with its content type and a strict CSP', async (path, type, body) => {
  const reply = await get(server.server.url, path);
  expect(reply.status).toBe(200);
  expect(reply.headers['content-type']).toBe(type);
  expect(reply.body).toBe(body);
  expect(reply.headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(reply.headers['x-frame-options']).toBe('DENY');
});

test('the CSP allows no inline script, no eval and no framing', () => {
  expect(CONTENT_SECURITY_POLICY).toContain("script-src 'self'");
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe');
  expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
});

test('the CSP lets the page connect only to this server and submit no form', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((directive) => {
      const [name, ...values] = directive.trim().split(/\s+/);
      return [name, values.join(' ')];
    }),
  );
  // CSP Level 3 'self' covers ws:/wss: on the page's own host and port, and nothing else.
  expect(directives.get('connect-src')).toBe("'self'");
  expect(directives.get('form-action')).toBe("'none'");
  expect(directives.get('object-src')).toBe("'none'");
  expect(directives.get('base-uri')).toBe("'none'");
});

test.each([
  '/../secret.txt',
  '/assets/../../secret.txt',
  '/%2e%2e/secret.txt',
  '/%2e%2e%2fsecret.txt',
  '/..%5csecret.txt',
  '/linked.txt',
  '/assets',
  '/missing.js',
  '/app.js.map',
  '/%E0%A4%A',
])('refuses %s with 404 and leaks nothing', async (path) => {
  const reply = await get(server.server.url, path);
  expect(reply.status).toBe(404);
  expect(reply.body).not.toContain('top secret');
});

test('a call link opens the web client with its token in the fragment, sent nowhere again', async () => {
  const token = 'AbCdEfGhIjKlMnOpQrStUv';
  const reply = await get(server.server.url, `/call/${token}`);
  expect(reply.status).toBe(303);
  expect(reply.headers.location).toBe(`/#call-link/${token}`);
  expect(reply.headers['cache-control']).toBe('no-store');
  expect(reply.headers['referrer-policy']).toBe('no-referrer');
});

test.each([
  '/call/',
  '/call/AbCdEfGhIjKlMnOpQrStU',
  '/call/AbCdEfGhIjKlMnOpQrStUvW',
  '/call/AbCdEfGhIjKlMnOpQrSt%55v',
  '/call/AbCdEfGhIjKlMnOpQrStUv/',
])('%s is not a call link: 404, and nothing is served in its place', async (path) => {
  const reply = await get(server.server.url, path);
  expect(reply.status).toBe(404);
  expect(reply.headers.location).toBeUndefined();
  expect(reply.body).not.toContain('Parley');
});

test('only GET and HEAD are served', async () => {
  expect((await get(server.server.url, '/', 'POST')).status).toBe(405);
  const head = await get(server.server.url, '/app.js', 'HEAD');
  expect(head.status).toBe(200);
  expect(head.body).toBe('');
});

test('the WebSocket is at /ws only', async () => {
  const ok = new WebSocket(server.server.wsUrl);
  await new Promise((resolve, reject) => ok.once('open', resolve).once('error', reject));
  ok.close();
  const wrong = new WebSocket(server.server.wsUrl.replace('/ws', '/other'));
  const error = await new Promise<Error>((resolve) => wrong.once('error', resolve));
  expect(error.message).toMatch(/404/);
});

test('with a certificate it serves https and wss', async () => {
  const { cert, key } = selfSignedCertificate(scratch, '127.0.0.1');
  const tlsServer = await TestServer.start({ tls: { certFile: cert, keyFile: key } });
  try {
    expect(tlsServer.server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(tlsServer.server.wsUrl).toMatch(/^wss:\/\/127\.0\.0\.1:\d+\/ws$/);
    const reply = await get(tlsServer.server.url, '/healthz');
    expect(reply.status).toBe(200);
    expect(reply.headers['strict-transport-security']).toBeDefined();
    const socket = new WebSocket(tlsServer.server.wsUrl, { rejectUnauthorized: false });
    const challenge = await new Promise<string>((resolve, reject) => {
      socket.once('open', () =>
        socket.send(JSON.stringify({ v: 1, type: 'hello', id: 'h', client: 't' })),
      );
      socket.once('message', (data) => resolve(data.toString()));
      socket.once('error', reject);
    });
    expect(JSON.parse(challenge)).toMatchObject({ type: 'auth.challenge', re: 'h' });
    socket.close();
  } finally {
    await tlsServer.dispose();
  }
});
