import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loginChallengeText, registerChallengeText, resumeChallengeText } from '../../../protocol';
import {
  newDeviceKeys,
  signText,
  type ResumableSession,
  type TestClient,
} from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
beforeEach(async () => {
  server = await TestServer.start({ sessionTtlMs: 1500 });
});
afterEach(() => server.dispose());

async function registerMessage(client: TestClient, username: string, keys = client.keys) {
  const nonce = await client.challenge();
  return {
    type: 'auth.register',
    username,
    displayName: 'Alice',
    deviceName: 'laptop',
    identityKey: keys.identityKey,
    nonce,
    signature: signText(
      keys,
      registerChallengeText({
        origin: client.origin,
        nonce,
        username,
        identityKey: keys.identityKey,
      }),
    ),
  };
}

async function lookup(client: TestClient, username: string) {
  return client.request({ type: 'user.lookup', username });
}

describe('register and login', () => {
  test('a new account gets a session, and its device can log in again with its key', async () => {
    const alice = await server.client();
    const session = await alice.register('alice');
    expect(session).toMatchObject({
      type: 'session',
      user: { username: 'alice', displayName: 'ALICE' },
    });
    await alice.close();

    const again = await server.client();
    const login = await again.login('alice', alice.deviceId, alice.keys);
    expect(login).toMatchObject({ type: 'session', deviceId: alice.deviceId });
    expect(again.sessionId).not.toBe(alice.sessionId);
  });

  test('a taken username is refused and the first owner keeps it', async () => {
    await server.registered('alice');
    const mallory = await server.client();
    expect(await mallory.register('alice', 'Mallory')).toMatchObject({ code: 'username_taken' });
    const bob = await server.registered('bob');
    expect(await lookup(bob, 'alice')).toMatchObject({ type: 'user', displayName: 'ALICE' });
  });

  test('a key that already belongs to a device cannot register another account', async () => {
    const alice = await server.registered('alice');
    const phone = await server.linkedDevice(alice);
    for (const [username, keys] of [
      ['mallory', alice.keys],
      ['trudy', phone.keys],
    ] as const) {
      const client = await server.client();
      client.keys = keys;
      const reply = await client.register(username);
      expect(reply).toMatchObject({ type: 'error', code: 'auth_failed' });
      if (reply.type === 'error') expect(reply.message).toMatch(/^identityKey: .*auth\.login/);
      expect(await lookup(alice, username)).toMatchObject({ code: 'unknown_user' });
    }
    // The key's own devices are untouched and still sign in with it.
    const again = await server.client();
    expect(await again.login('alice', alice.deviceId, alice.keys)).toMatchObject({
      type: 'session',
    });
    expect(await again.request({ type: 'devices.list' })).toMatchObject({
      devices: [{ deviceId: alice.deviceId }, { deviceId: phone.deviceId }],
    });
  });

  test('a forged register signature is refused and creates no account', async () => {
    const client = await server.client();
    const message = await registerMessage(client, 'alice', client.keys);
    const forged = { ...message, signature: signText(newDeviceKeys(), 'anything') };
    expect(await client.request(forged)).toMatchObject({ type: 'error', code: 'auth_failed' });
    const bob = await server.registered('bob');
    expect(await lookup(bob, 'alice')).toMatchObject({ code: 'unknown_user' });
  });

  test('a login signed by another key is refused', async () => {
    const alice = await server.registered('alice');
    const thief = await server.client();
    const reply = await thief.login('alice', alice.deviceId, newDeviceKeys());
    expect(reply).toMatchObject({ type: 'error', code: 'auth_failed' });
    expect(await thief.request({ type: 'contacts.list' })).toMatchObject({
      code: 'not_authenticated',
    });
  });

  test('a login naming another account than the device owner is refused', async () => {
    const alice = await server.registered('alice');
    await server.registered('bob');
    const client = await server.client();
    expect(await client.login('bob', alice.deviceId, alice.keys)).toMatchObject({
      code: 'auth_failed',
    });
  });

  test('a replayed signed answer is refused: the nonce is single use', async () => {
    const alice = await server.registered('alice');
    await alice.close();
    const client = await server.client();
    const nonce = await client.challenge();
    const login = {
      type: 'auth.login',
      username: 'alice',
      deviceId: alice.deviceId,
      nonce,
      signature: signText(
        alice.keys,
        loginChallengeText({
          origin: client.origin,
          nonce,
          username: 'alice',
          deviceId: alice.deviceId,
        }),
      ),
    };
    expect(await client.request(login)).toMatchObject({ type: 'session' });

    // The same answer on another connection (which has its own, different challenge).
    const replayer = await server.client();
    await replayer.challenge();
    expect(await replayer.request(login)).toMatchObject({ code: 'challenge_expired' });
    // And on the same connection once it is signed out.
    await client.request({ type: 'session.end' });
    expect(await client.request(login)).toMatchObject({ code: 'challenge_expired' });
  });

  test('a nonce from another connection is refused, and no hello means no challenge', async () => {
    const first = await server.client();
    const message = await registerMessage(first, 'alice');
    const second = await server.client();
    expect(await second.request(message)).toMatchObject({ code: 'no_challenge' });
    await second.challenge();
    expect(await second.request(message)).toMatchObject({ code: 'challenge_expired' });
    // The nonce still works on the connection it was issued to.
    expect(await first.request(message)).toMatchObject({ type: 'session' });
  });

  test('a signed-in connection cannot sign in again', async () => {
    const alice = await server.registered('alice');
    expect(await alice.request({ type: 'hello', client: 'x' })).toMatchObject({
      code: 'already_authenticated',
    });
  });
});

/** A signed `session.resume` for `session` on `client`'s connection, after a fresh challenge. */
async function resumeMessage(client: TestClient, session: ResumableSession, keys = session.keys) {
  const nonce = await client.challenge();
  const { sessionId } = session;
  return {
    type: 'session.resume',
    sessionId,
    nonce,
    signature: signText(keys, resumeChallengeText({ origin: client.origin, nonce, sessionId })),
  };
}

/** Whether `session` still resumes, tried on a new connection. */
async function resumes(session: ResumableSession): Promise<boolean> {
  const reply = await (await server.client()).resume(session);
  return reply.type === 'session';
}

describe('sessions', () => {
  test("a session resumes on a new connection with its device's signature", async () => {
    const alice = await server.registered('alice');
    await alice.close();
    const again = await server.client();
    const reply = await again.request(await resumeMessage(again, alice));
    expect(reply).toMatchObject({
      type: 'session',
      sessionId: alice.sessionId,
      deviceId: alice.deviceId,
    });
    expect(await again.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
  });

  test('session.end revokes the session and signs the connection out', async () => {
    const alice = await server.registered('alice');
    expect(await alice.request({ type: 'session.end' })).toMatchObject({ type: 'ok' });
    expect(await alice.request({ type: 'contacts.list' })).toMatchObject({
      code: 'not_authenticated',
    });
    const again = await server.client();
    expect(await again.resume(alice)).toMatchObject({ code: 'session_invalid' });
    expect(await again.request({ type: 'contacts.list' })).toMatchObject({
      code: 'not_authenticated',
    });
  });

  test('signing out ends every session of that device, and only of that device', async () => {
    const alice = await server.registered('alice');
    const phone = await server.linkedDevice(alice);
    const bob = await server.registered('bob');
    const older = { sessionId: alice.sessionId, keys: alice.keys };
    // The same device signs in again on a new connection: a second session of the device.
    const laptop = await server.client();
    await laptop.login('alice', alice.deviceId, alice.keys);
    expect(laptop.sessionId).not.toBe(older.sessionId);
    const newer = { sessionId: laptop.sessionId, keys: alice.keys };

    expect(await laptop.request({ type: 'session.end' })).toMatchObject({ type: 'ok' });
    for (const session of [older, newer]) {
      expect(await (await server.client()).resume(session)).toMatchObject({
        code: 'session_invalid',
      });
    }
    for (const other of [phone, bob]) {
      const again = await server.client();
      expect(await again.resume(other)).toMatchObject({
        type: 'session',
        deviceId: other.deviceId,
      });
    }
  });

  test('an expired session cannot be resumed', async () => {
    const alice = await server.registered('alice');
    await new Promise((resolve) => setTimeout(resolve, 1600));
    const again = await server.client();
    expect(await again.resume(alice)).toMatchObject({ code: 'session_invalid' });
  });

  test('an unknown session id is refused', async () => {
    const client = await server.client();
    const sessionId = Buffer.alloc(32, 7).toString('base64');
    expect(await client.resume({ sessionId, keys: client.keys })).toMatchObject({
      code: 'session_invalid',
    });
  });

  test('a resume without hello first is refused with no_challenge and signs nothing in', async () => {
    const alice = await server.registered('alice');
    const nonce = Buffer.alloc(32, 9).toString('base64');
    const { sessionId } = alice;
    const client = await server.client();
    const reply = await client.request({
      type: 'session.resume',
      sessionId,
      nonce,
      signature: signText(
        alice.keys,
        resumeChallengeText({ origin: client.origin, nonce, sessionId }),
      ),
    });
    expect(reply).toMatchObject({ code: 'no_challenge' });
    expect(await client.request({ type: 'contacts.list' })).toMatchObject({
      code: 'not_authenticated',
    });
    // Alice's own connection was not replaced.
    expect(await alice.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
  });

  test('a session id with a signature by another key or over another nonce is session_invalid, and changes nothing', async () => {
    const alice = await server.registered('alice');
    const thief = await server.client();
    const byAnotherKey = await resumeMessage(thief, alice, newDeviceKeys());
    expect(await thief.request(byAnotherKey)).toMatchObject({ code: 'session_invalid' });

    const overAnotherNonce = await resumeMessage(thief, alice);
    const staleNonce = Buffer.alloc(32, 3).toString('base64');
    const signature = signText(
      alice.keys,
      resumeChallengeText({ origin: thief.origin, nonce: staleNonce, sessionId: alice.sessionId }),
    );
    expect(await thief.request({ ...overAnotherNonce, signature })).toMatchObject({
      code: 'session_invalid',
    });
    // The nonce was used up by the failed attempt: the right signature over it comes too late.
    expect(await thief.request(overAnotherNonce)).toMatchObject({ code: 'challenge_expired' });

    expect(await thief.request({ type: 'contacts.list' })).toMatchObject({
      code: 'not_authenticated',
    });
    // Alice stays signed in on her connection, and her session still resumes.
    expect(await alice.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
    expect(await resumes(alice)).toBe(true);
  });

  test('a resume signed by the device of another session is refused', async () => {
    const alice = await server.registered('alice');
    const bob = await server.registered('bob');
    const client = await server.client();
    expect(await client.request(await resumeMessage(client, alice, bob.keys))).toMatchObject({
      code: 'session_invalid',
    });
  });

  test("a device's new connection replaces its older one", async () => {
    const alice = await server.registered('alice');
    const again = await server.client();
    await again.resume(alice);
    expect((await alice.closed).code).toBe(4001);
    expect(await again.request({ type: 'contacts.list' })).toMatchObject({ type: 'contacts' });
  });
});

describe('what the server keeps of a session', () => {
  test('only a hash of the session id reaches the disk: a stolen database names no session', async () => {
    const alice = await server.client();
    const session = await alice.register('alice');
    if (session.type !== 'session') throw new Error(`expected a session, got ${session.type}`);
    await server.stop();

    const idBytes = Buffer.from(session.sessionId, 'base64');
    const files = readdirSync(server.dataDir).map((name) => join(server.dataDir, name));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const bytes = readFileSync(file);
      expect(bytes.includes(idBytes)).toBe(false);
      expect(bytes.includes(Buffer.from(session.sessionId))).toBe(false);
      expect(bytes.includes(Buffer.from(idBytes.toString('hex')))).toBe(false);
    }

    await server.restart();
    const again = await server.client();
    expect(await again.resume(alice)).toMatchObject({
      type: 'session',
      user: { username: 'alice' },
    });
  });
});
