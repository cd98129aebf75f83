import { createHmac } from 'node:crypto';
import type { IceConfig } from '../../../protocol';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

const SECRET = 'test-turn-secret';
const TTL_SECONDS = 3 * 3600;
const URLS = [
  'stun:turn.example.com:3478',
  'turn:turn.example.com:3478?transport=udp',
  'turns:turn.example.com:5349?transport=tcp',
];

let server: TestServer;
afterEach(() => server.dispose());

/** The TURN entry's credential, checked against the secret the way coturn checks it. */
function turnUser(ice: IceConfig): { expiry: number; userId: string } {
  const turn = ice.servers.find((s) => s.urls.some((url) => url.startsWith('turn')));
  if (!turn?.username) throw new Error(`no TURN credential in ${JSON.stringify(ice)}`);
  expect(turn.credential).toBe(createHmac('sha1', SECRET).update(turn.username).digest('base64'));
  const [expiry, userId] = turn.username.split(':');
  return { expiry: Number(expiry), userId: userId! };
}

test('without TURN the session says: no servers, nothing expires', async () => {
  server = await TestServer.start();
  const client = await server.client();
  const session = await client.register('alice');
  expect(session).toMatchObject({ type: 'session', ice: { servers: [], expiresAt: null } });
});

describe('with TURN configured', () => {
  beforeEach(async () => {
    server = await TestServer.start({
      turn: { urls: URLS, secret: SECRET, ttlSeconds: TTL_SECONDS },
    });
  });

  test('register, login and a linked device each get STUN plus TURN credentials for their user', async () => {
    const alice = await server.client();
    const registered = await alice.register('alice');
    if (registered.type !== 'session') throw new Error('register failed');
    expect(registered.ice.servers).toEqual([
      { urls: [URLS[0]] },
      { urls: URLS.slice(1), username: expect.any(String), credential: expect.any(String) },
    ]);
    const nowSeconds = Date.now() / 1000;
    const fromRegister = turnUser(registered.ice);
    expect(fromRegister.expiry).toBeGreaterThan(nowSeconds + TTL_SECONDS - 5);
    expect(fromRegister.expiry).toBeLessThanOrEqual(nowSeconds + TTL_SECONDS + 1);
    expect(registered.ice.expiresAt).toBe(fromRegister.expiry * 1000);

    const again: TestClient = await server.client();
    const login = await again.login('alice', alice.deviceId, alice.keys);
    if (login.type !== 'session') throw new Error('login failed');
    expect(turnUser(login.ice).userId).toBe(fromRegister.userId);

    const linked = await server.client();
    const code = await linked.requestLink('phone');
    if (code.type !== 'link.code') throw new Error('link.request failed');
    await again.approveLink(code.code);
    const approved = await linked.linkApproved();
    expect(turnUser(approved.ice).userId).toBe(fromRegister.userId);

    const bob = await server.client();
    const bobSession = await bob.register('bob');
    if (bobSession.type !== 'session') throw new Error('register failed');
    expect(turnUser(bobSession.ice).userId).not.toBe(fromRegister.userId);
  });
});

describe('credentials that expire soon', () => {
  // A 2-second lifetime (the CLI allows no less than a minute) makes the push come within a second or two.
  beforeEach(async () => {
    server = await TestServer.start({ turn: { urls: URLS, secret: SECRET, ttlSeconds: 2 } });
  });

  test('a signed-in device gets fresh ones before the old expire, and none after signing out', async () => {
    const alice = await server.client();
    const session = await alice.register('alice');
    if (session.type !== 'session') throw new Error('register failed');
    const first = turnUser(session.ice);

    const pushed = await alice.nextOf('ice.servers');
    const received = Date.now();
    expect(received).toBeLessThan(session.ice.expiresAt!);
    const fresh = turnUser(pushed.ice);
    expect(fresh.userId).toBe(first.userId);
    expect(fresh.expiry).toBeGreaterThan(first.expiry);

    await alice.request({ type: 'session.end' });
    expect(await alice.collect(2_500, (m) => m.type === 'ice.servers')).toEqual([]);
  });
});
