import {
  linkRequestText,
  loginChallengeText,
  registerChallengeText,
  type ServerMessage,
} from '../../../protocol';
import type { AddressLimitOptions } from '../../../server/limits/addressLimits';
import { FakeTime } from '../calls/fakeTime';
import { newDeviceKeys, signText, type TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

/**
 * Sign-ins, registrations and link requests per remote address: over the limit each is answered
 * `too_many_attempts` with `retryAfterMs`, changes nothing (no account, no session, no link code,
 * the nonce still unused), and the limit lifts as time passes. Addresses come from
 * X-Forwarded-For through a trusted proxy (loopback), so one test can be several addresses.
 */

const HOME = { 'X-Forwarded-For': '203.0.113.10' };
const ELSEWHERE = { 'X-Forwarded-For': '198.51.100.20' };

let time: FakeTime;
let server: TestServer;

async function start(addressLimits: Partial<AddressLimitOptions>): Promise<void> {
  time = new FakeTime();
  server = await TestServer.start({
    time: { clock: time, scheduler: time },
    trustedProxies: ['127.0.0.1'],
    addressLimits,
    // The clients wait out the limits' windows without signing in: the sign-in deadline is not
    // what these tests are about (connectionLimits.test.ts is), so it is the longest allowed.
    signInDeadlineMs: 3_600_000,
  });
}
afterEach(() => server.dispose());

function expectTooManyAttempts(reply: ServerMessage, retryAfterMs: number): void {
  expect(reply).toMatchObject({ type: 'error', code: 'too_many_attempts', retryAfterMs });
  expect(reply.type === 'error' && reply.message).toMatch(/from your address/);
}

/** Sends a prepared `auth.register` for `username` with this nonce. */
function register(client: TestClient, username: string, nonce: string): Promise<ServerMessage> {
  return client.request({
    type: 'auth.register',
    username,
    displayName: username,
    deviceName: 'test device',
    identityKey: client.keys.identityKey,
    nonce,
    signature: signText(
      client.keys,
      registerChallengeText({
        origin: client.origin,
        nonce,
        username,
        identityKey: client.keys.identityKey,
      }),
    ),
  });
}

test('registrations over the limit create no account until the hour has given one back', async () => {
  await start({ registrationsPerHour: 2 });
  const alice = await server.registered('alice', HOME);
  await server.registered('bob', HOME);

  const carol = await server.client(HOME);
  const refused = await register(carol, 'carol', await carol.challenge());
  // Two per hour: one comes back every 30 minutes.
  expectTooManyAttempts(refused, 30 * 60_000);
  await expect(alice.request({ type: 'user.lookup', username: 'carol' })).resolves.toMatchObject({
    type: 'error',
    code: 'unknown_user',
  });

  // Another address is counted on its own.
  await server.registered('dave', ELSEWHERE);

  time.advance(30 * 60_000);
  await expect(register(carol, 'carol', await carol.challenge())).resolves.toMatchObject({
    type: 'session',
    user: { username: 'carol' },
  });
});

test('sign-ins count successful and failed attempts; a refused one leaves its nonce usable', async () => {
  await start({ signInsPerMinute: 2 });
  const alice = await server.registered('alice', HOME);
  const { username, deviceId, keys } = alice;

  const resumed = await server.client(HOME);
  await expect(resumed.resume(alice)).resolves.toMatchObject({ type: 'session' });
  const wrongKey = await server.client(HOME);
  await expect(wrongKey.login(username, deviceId, newDeviceKeys())).resolves.toMatchObject({
    code: 'auth_failed',
  });

  const device = await server.client(HOME);
  const nonce = await device.challenge();
  const login = {
    type: 'auth.login',
    username,
    deviceId,
    nonce,
    signature: signText(
      keys,
      loginChallengeText({ origin: device.origin, nonce, username, deviceId }),
    ),
  };
  expectTooManyAttempts(await device.request(login), 30_000);
  await expect(device.request({ type: 'contacts.list' })).resolves.toMatchObject({
    code: 'not_authenticated',
  });
  // A resume counts as a sign-in too (on another connection, so that the device's nonce stays).
  expectTooManyAttempts(await (await server.client(HOME)).resume(alice), 30_000);
  await expect(server.client(ELSEWHERE).then((c) => c.resume(alice))).resolves.toMatchObject({
    type: 'session',
  });

  time.advance(30_000);
  await expect(device.request(login)).resolves.toMatchObject({ type: 'session', deviceId });
  expectTooManyAttempts(await (await server.client(HOME)).resume(alice), 30_000);
});

test('link requests over the limit get no code until the minute has given one back', async () => {
  await start({ linkRequestsPerMinute: 1 });
  const waiting = await server.client(HOME);
  await expect(waiting.requestLink()).resolves.toMatchObject({ type: 'link.code' });

  const refusedDevice = await server.client(HOME);
  const nonce = await refusedDevice.challenge();
  const request = {
    type: 'link.request',
    deviceName: 'phone',
    identityKey: refusedDevice.keys.identityKey,
    nonce,
    signature: signText(
      refusedDevice.keys,
      linkRequestText({
        origin: refusedDevice.origin,
        nonce,
        identityKey: refusedDevice.keys.identityKey,
      }),
    ),
  };
  expectTooManyAttempts(await refusedDevice.request(request), 60_000);
  expect(refusedDevice.inbox.filter((m) => m.type === 'link.code')).toEqual([]);
  await expect(server.client(ELSEWHERE).then((c) => c.requestLink())).resolves.toMatchObject({
    type: 'link.code',
  });

  // The minute outlives the nonce (60 s), so the retry starts with a new hello.
  time.advance(60_000);
  await expect(refusedDevice.requestLink('phone')).resolves.toMatchObject({ type: 'link.code' });
});
