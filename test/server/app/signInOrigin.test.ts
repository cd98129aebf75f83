import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
  resumeChallengeText,
  type ServerMessage,
} from '../../../protocol';
import type { ServerOptions } from '../../../server/app';
import { selfSignedCertificate } from '../../tls/selfSignedCertificate';
import { newDeviceKeys, signText, TestClient, type DeviceKeys } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/**
 * Every sign-in text names the server origin the client connected to, and the server verifies
 * it over its own origin for the connection (scheme from TLS or a trusted proxy, host from
 * `Host`): a signature made for another server, say one relaying this server's challenge, does
 * not sign anyone in here and changes nothing.
 */

const EVIL = 'wss://evil.example';

const scratch = mkdtempSync(join(tmpdir(), 'parley-sign-in-origin-'));
const started: TestServer[] = [];

async function start(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const server = await TestServer.start(options);
  started.push(server);
  return server;
}

afterEach(async () => {
  for (const running of started.splice(0)) await running.dispose();
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A signed `auth.register` of `username` with `keys`, its signature made for `origin`. */
function registerMessage(keys: DeviceKeys, username: string, origin: string, nonce: string) {
  const { identityKey } = keys;
  return {
    type: 'auth.register',
    username,
    displayName: username,
    deviceName: 'laptop',
    identityKey,
    nonce,
    signature: signText(keys, registerChallengeText({ origin, nonce, username, identityKey })),
  };
}

/** A signed `auth.login` as `device`, its signature made for `origin`. */
function loginMessage(
  device: { username: string; deviceId: string; keys: DeviceKeys },
  origin: string,
  nonce: string,
) {
  const { username, deviceId } = device;
  return {
    type: 'auth.login',
    username,
    deviceId,
    nonce,
    signature: signText(device.keys, loginChallengeText({ origin, nonce, username, deviceId })),
  };
}

async function registerFor(
  client: TestClient,
  username: string,
  origin: string,
): Promise<ServerMessage> {
  const nonce = await client.challenge();
  return client.request(registerMessage(client.keys, username, origin, nonce));
}

async function loginFor(
  client: TestClient,
  device: { username: string; deviceId: string; keys: DeviceKeys },
  origin: string,
): Promise<ServerMessage> {
  const nonce = await client.challenge();
  return client.request(loginMessage(device, origin, nonce));
}

async function isSignedIn(client: TestClient): Promise<boolean> {
  return (await client.request({ type: 'contacts.list' })).type === 'contacts';
}

let askers = 0;

/** Whether `username` has an account, as another user looking it up sees it. */
async function userExists(server: TestServer, username: string): Promise<boolean> {
  const asker = await server.registered(`asker${++askers}`);
  return (await asker.request({ type: 'user.lookup', username })).type === 'user';
}

describe('a signature made for another origin', () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await start();
  });

  test('does not register: auth_failed, and no account exists', async () => {
    const client = await server.client();
    expect(await registerFor(client, 'alice', EVIL)).toMatchObject({ code: 'auth_failed' });
    expect(await isSignedIn(client)).toBe(false);
    expect(await userExists(server, 'alice')).toBe(false);
    // Signed for this server's origin, the same registration goes through.
    expect(await registerFor(client, 'alice', client.origin)).toMatchObject({ type: 'session' });
  });

  test('does not log in: auth_failed, and the connection stays signed out', async () => {
    const alice = await server.registered('alice');
    const client = await server.client();
    expect(await loginFor(client, alice, EVIL)).toMatchObject({ code: 'auth_failed' });
    expect(await isSignedIn(client)).toBe(false);
    // Alice's own connection was not replaced.
    expect(await isSignedIn(alice)).toBe(true);
  });

  test('does not ask for a link code: auth_failed, and no code is issued', async () => {
    const device = await server.client();
    const nonce = await device.challenge();
    const { identityKey } = device.keys;
    const reply = await device.request({
      type: 'link.request',
      deviceName: 'phone',
      identityKey,
      nonce,
      signature: signText(device.keys, linkRequestText({ origin: EVIL, nonce, identityKey })),
    });
    expect(reply).toMatchObject({ code: 'auth_failed' });
    expect(device.inbox.filter((m) => m.type === 'link.code')).toEqual([]);
    // The key is not held by any request: signed for this origin, it gets a code.
    expect(await device.requestLink('phone')).toMatchObject({ type: 'link.code' });
  });

  test('does not resume: session_invalid, and the session still resumes when signed right', async () => {
    const alice = await server.registered('alice');
    const client = await server.client();
    const nonce = await client.challenge();
    const { sessionId } = alice;
    const reply = await client.request({
      type: 'session.resume',
      sessionId,
      nonce,
      signature: signText(alice.keys, resumeChallengeText({ origin: EVIL, nonce, sessionId })),
    });
    expect(reply).toMatchObject({ code: 'session_invalid' });
    expect(await isSignedIn(client)).toBe(false);
    expect(await isSignedIn(alice)).toBe(true);
    expect(await client.resume(alice)).toMatchObject({ type: 'session' });
  });
});

describe('a relay', () => {
  test("that passes server B's challenge to a client of server A gets a signature B refuses", async () => {
    const a = await start();
    const b = await start();
    const aliceOnB = await b.registered('alice');
    // The client is connected to A: its texts name A's origin, whatever nonce it is handed.
    const client = await a.client();
    expect(client.origin).not.toBe(aliceOnB.origin);

    // The relay, a connection to B, hands B's nonces to the client and sends back its answers.
    const relay = await b.client();
    const carolKeys = newDeviceKeys();
    const registerNonce = await relay.challenge();
    const signedRegister = registerMessage(carolKeys, 'carol', client.origin, registerNonce);
    expect(await relay.request(signedRegister)).toMatchObject({ code: 'auth_failed' });
    expect(await userExists(b, 'carol')).toBe(false);

    const loginNonce = await relay.challenge();
    const signedLogin = loginMessage(aliceOnB, client.origin, loginNonce);
    expect(await relay.request(signedLogin)).toMatchObject({ code: 'auth_failed' });
    expect(await isSignedIn(relay)).toBe(false);
    expect(await isSignedIn(aliceOnB)).toBe(true);

    // At A, where the client connected, the same answers to A's own nonces are good.
    expect(
      await client.request(
        registerMessage(carolKeys, 'carol', client.origin, await client.challenge()),
      ),
    ).toMatchObject({ type: 'session', user: { username: 'carol' } });
    // And B takes the login made for B's origin: only the origin was wrong.
    expect(await loginFor(relay, aliceOnB, relay.origin)).toMatchObject({ type: 'session' });
  });
});

describe("the server's origin for a connection", () => {
  test('is the Host it was sent to: a non-default port is kept, a default one dropped, case folded', async () => {
    const server = await start();
    const onPort = await server.client({ Host: 'localhost:8443' });
    expect(onPort.origin).toBe('ws://localhost:8443');
    const urlOrigin = `ws://127.0.0.1:${server.server.port}`;
    expect(await registerFor(onPort, 'alice', urlOrigin)).toMatchObject({ code: 'auth_failed' });
    expect(await registerFor(onPort, 'alice', 'ws://localhost')).toMatchObject({
      code: 'auth_failed',
    });
    expect(await registerFor(onPort, 'alice', 'ws://localhost:8443')).toMatchObject({
      type: 'session',
    });

    const defaultPort = await server.client({ Host: 'LocalHost:80' });
    expect(await registerFor(defaultPort, 'bob', 'ws://localhost:80')).toMatchObject({
      code: 'auth_failed',
    });
    expect(await registerFor(defaultPort, 'bob', 'ws://localhost')).toMatchObject({
      type: 'session',
    });
  });

  test('is wss when the server has TLS', async () => {
    const { cert, key } = selfSignedCertificate(scratch, '127.0.0.1');
    const server = await start({ tls: { certFile: cert, keyFile: key } });
    const client = await TestClient.connect(server.server.wsUrl, {}, { rejectUnauthorized: false });
    try {
      const port = server.server.port;
      expect(client.origin).toBe(`wss://127.0.0.1:${port}`);
      expect(await registerFor(client, 'alice', `ws://127.0.0.1:${port}`)).toMatchObject({
        code: 'auth_failed',
      });
      expect(await registerFor(client, 'alice', `wss://127.0.0.1:${port}`)).toMatchObject({
        type: 'session',
      });
    } finally {
      client.socket.terminate();
    }
  });

  test('is wss on the public name behind a trusted proxy that says https, and only then', async () => {
    const proxied = { Host: 'parley.example.com', 'X-Forwarded-Proto': 'https' };
    const behindProxy = await start({
      hostnames: ['parley.example.com'],
      trustedProxies: ['127.0.0.1'],
    });
    const client = await behindProxy.client(proxied);
    expect(await registerFor(client, 'alice', 'ws://parley.example.com')).toMatchObject({
      code: 'auth_failed',
    });
    expect(await registerFor(client, 'alice', 'wss://parley.example.com')).toMatchObject({
      type: 'session',
    });

    // A peer that is no trusted proxy does not make the origin https by saying so.
    const direct = await start({ hostnames: ['parley.example.com'] });
    const untrusted = await direct.client(proxied);
    expect(await registerFor(untrusted, 'bob', 'wss://parley.example.com')).toMatchObject({
      code: 'auth_failed',
    });
    expect(await registerFor(untrusted, 'bob', 'ws://parley.example.com')).toMatchObject({
      type: 'session',
    });
  });
});
