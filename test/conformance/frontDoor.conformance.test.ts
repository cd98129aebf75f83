/**
 * "Who may connect" and "Per-address limits" (docs/protocol.md, Transport), checked the way a
 * client and a browser meet them. The operator's settings here: one extra name, loopback as a
 * trusted reverse proxy (so each test is its own address through `X-Forwarded-For`), and small
 * allowances. The only server code used is `startServer` (through the harness).
 */
import * as http from 'node:http';
import { WebSocket } from 'ws';
import { loginText, makeIdentity, registerText, resumeText, sign } from './DocClient';
import { expectError, useServer } from './harness';

const h = useServer({
  hostnames: ['parley.test'],
  trustedProxies: ['127.0.0.1'],
  addressLimits: {
    connections: 3,
    signInsPerMinute: 2,
    registrationsPerHour: 2,
    linkRequestsPerMinute: 1,
  },
});

let nextAddress = 1;
/** A fresh client address for one test, as the trusted proxy reports it. */
function address(): Record<string, string> {
  nextAddress += 1;
  return { 'X-Forwarded-For': `203.0.113.${nextAddress}` };
}

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Tries the WebSocket upgrade with these headers: 'open' or the HTTP answer that refused it. */
function upgrade(headers: Record<string, string>): Promise<'open' | HttpAnswer> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(h.url(), { headers });
    ws.once('open', () => {
      ws.close();
      resolve('open');
    });
    ws.once('unexpected-response', (request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        request.destroy();
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body });
      });
    });
    ws.once('error', reject);
  });
}

function httpGet(path: string, host: string): Promise<HttpAnswer> {
  const { hostname, port } = new URL(h.url());
  return new Promise((resolve, reject) => {
    const request = http.get({ hostname, port, path, headers: { host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    });
    request.on('error', reject);
  });
}

/** A one-line plain-text body, as the doc describes a refusal. */
function expectOneLineText(answer: HttpAnswer): void {
  expect(answer.headers['content-type']).toMatch(/^text\/plain/);
  expect(answer.body.trim()).not.toBe('');
  expect(answer.body.trim()).not.toContain('\n');
}

describe('who may connect', () => {
  test('a page from another origin is refused with 403 before any WebSocket exists', async () => {
    const answer = await upgrade({ ...address(), Origin: 'https://elsewhere.example' });
    expect(answer).toMatchObject({ status: 403 });
    expectOneLineText(answer as HttpAnswer);
  });

  test("no Origin, the server's own origin and the desktop app's origin connect", async () => {
    const { host } = new URL(h.url());
    for (const origin of [undefined, `http://${host}`, 'app://parley']) {
      const c = await h.connect({ ...address(), ...(origin ? { Origin: origin } : {}) });
      expect(await c.hello()).toMatchObject({ type: 'auth.challenge' });
    }
  });

  test('a Host that is no IP address, localhost or configured name gets 421', async () => {
    const page = await httpGet('/healthz', 'rebound.example:80');
    expect(page.status).toBe(421);
    expectOneLineText(page);
    expect(await upgrade({ ...address(), Host: 'rebound.example' })).toMatchObject({
      status: 421,
    });
    expect((await httpGet('/healthz', 'parley.test:443')).status).toBe(200);
    expect((await httpGet('/healthz', 'localhost')).status).toBe(200);
    expect(await upgrade({ ...address(), Host: 'parley.test' })).toBe('open');
  });

  test('one connection more than an address may hold is refused with 429 and Retry-After', async () => {
    const from = address();
    for (let i = 0; i < 3; i += 1) await h.connect(from);
    const answer = await upgrade(from);
    expect(answer).toMatchObject({ status: 429 });
    expect((answer as HttpAnswer).headers['retry-after']).toMatch(/^\d+$/);
    expectOneLineText(answer as HttpAnswer);
    expect(await upgrade(address())).toBe('open');
  });
});

describe('per-address limits', () => {
  test('registrations past the allowance: too_many_attempts, no account, nonce not used', async () => {
    const from = address();
    const alice = makeIdentity();
    const aliceName = h.uniqueName('alice');
    const first = await h.connect(from);
    const aliceSession = await first.register(alice, aliceName, 'Alice', 'Laptop');
    expect(aliceSession).toMatchObject({ type: 'session' });
    const deviceId = String(aliceSession.deviceId);
    const second = await h.connect(from);
    expect(
      await second.register(makeIdentity(), h.uniqueName('bob'), 'Bob', 'Laptop'),
    ).toMatchObject({ type: 'session' });

    const c = await h.connect(from);
    const challenge = await c.hello();
    const nonce = String(challenge.nonce);
    const carol = makeIdentity();
    const username = h.uniqueName('carol');
    const refused = await c.request(
      'auth.register',
      {
        username,
        displayName: 'Carol',
        deviceName: 'Laptop',
        identityKey: carol.identityKey,
        nonce,
        signature: sign(
          carol.privateKey,
          registerText(c.origin, nonce, username, carol.identityKey),
        ),
      },
      { id: 'reg3' },
    );
    expectError(refused, 'too_many_attempts', 'reg3');
    // Two per hour: the next one comes back at most half an hour after the last.
    expect(refused.retryAfterMs).toEqual(expect.any(Number));
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(30 * 60_000);

    // No account was made: the username is free.
    expectError(await first.request('user.lookup', { username }), 'unknown_user');
    // The nonce was not used up: the same connection signs in with it (a sign-in, not a
    // registration, so another allowance).
    const login = await c.request('auth.login', {
      username: aliceName,
      deviceId,
      nonce,
      signature: sign(alice.privateKey, loginText(c.origin, nonce, aliceName, deviceId)),
    });
    expect(login).toMatchObject({ type: 'session' });

    // Another address has its own allowance.
    const elsewhere = await h.connect(address());
    expect(
      await elsewhere.register(makeIdentity(), h.uniqueName('dave'), 'Dave', 'Laptop'),
    ).toMatchObject({ type: 'session' });
  });

  test('sign-ins count failed attempts too; past the allowance: too_many_attempts', async () => {
    const from = address();
    const user = await h.newUser('erin');
    const a = await h.connect(from);
    const unknown = { sessionId: 'A'.repeat(43) + '=', identity: user.identity };
    expectError(await a.resume(unknown), 'session_invalid');
    const b = await h.connect(from);
    expect(await b.resume(user)).toMatchObject({ type: 'session' });

    const c = await h.connect(from);
    const nonce = String((await c.hello()).nonce);
    const { sessionId } = user;
    const signature = sign(user.identity.privateKey, resumeText(c.origin, nonce, sessionId));
    const refused = await c.request(
      'session.resume',
      { sessionId, nonce, signature },
      { id: 'res3' },
    );
    expectError(refused, 'too_many_attempts', 'res3');
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(30_000);
    // Not signed in.
    expectError(await c.request('contacts.list'), 'not_authenticated');
  });

  test('link requests past the allowance: too_many_attempts and no code', async () => {
    const from = address();
    const a = await h.connect(from);
    expect(await a.linkRequest(makeIdentity(), 'Phone')).toMatchObject({ type: 'link.code' });
    const b = await h.connect(from);
    const refused = await b.linkRequest(makeIdentity(), 'Tablet');
    expectError(refused, 'too_many_attempts');
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(60_000);
    expect(await b.collect('link.code')).toEqual([]);
  });
});
