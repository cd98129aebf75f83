import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { registerChallengeText } from '../../../protocol';
import { DATABASE_FILE } from '../../../server/db/openDatabase';
import { signText, type TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer;
beforeEach(async () => {
  server = await TestServer.start();
});
afterEach(() => server.dispose());

async function register(client: TestClient, names: { displayName: string; deviceName: string }) {
  const nonce = await client.challenge();
  const { identityKey } = client.keys;
  return client.request({
    type: 'auth.register',
    username: 'mallory',
    ...names,
    identityKey,
    nonce,
    signature: signText(
      client.keys,
      registerChallengeText({ origin: client.origin, nonce, username: 'mallory', identityKey }),
    ),
  });
}

/** Rows in a table of the server's database, as an operator would count them. */
function rowCount(table: 'users' | 'devices'): number {
  const db = new BetterSqlite3(join(server.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const BIDI = 'must not contain bidirectional control characters';
const CONTROL = 'must not contain control characters, line breaks or unpaired surrogates';
const INVISIBLE = 'must contain a visible character';

describe('names that could spoof the interface', () => {
  test.each([
    ['displayName', 'a right-to-left override', 'gnp.\u202Eexe', BIDI],
    ['displayName', 'zero-width spaces', '\u200B\u200B', INVISIBLE],
    ['displayName', 'a Hangul filler', '\u3164', INVISIBLE],
    ['displayName', 'blank Braille patterns', '\u2800\u2800', INVISIBLE],
    ['displayName', 'a line feed', 'Mal\nlory', CONTROL],
    ['deviceName', 'a right-to-left isolate', 'Lap\u2067top', BIDI],
    ['deviceName', 'Hangul fillers', '\u115F\u1160', INVISIBLE],
  ])(
    'registering with a %s of %s is refused as bad_message and creates nothing',
    async (field, _, name, rule) => {
      const bob = await server.registered('bob');
      const users = rowCount('users');
      const devices = rowCount('devices');
      const mallory = await server.client();
      const names = { displayName: 'Mallory', deviceName: 'Laptop', [field]: name };
      expect(await register(mallory, names)).toMatchObject({
        type: 'error',
        code: 'bad_message',
        message: `${field}: ${rule}`,
      });
      expect([rowCount('users'), rowCount('devices')]).toEqual([users, devices]);
      expect(await bob.request({ type: 'user.lookup', username: 'mallory' })).toMatchObject({
        code: 'unknown_user',
      });
      // The name was the only problem: the same account with a plain name is created.
      const again = await server.client();
      const session = await register(again, { displayName: 'Mallory', deviceName: 'Laptop' });
      expect(session).toMatchObject({ type: 'session', user: { displayName: 'Mallory' } });
    },
  );

  test('a link request with a device name that shows as nothing gets no code', async () => {
    const phone = await server.client();
    expect(await phone.requestLink('\u200B\u2060')).toMatchObject({
      type: 'error',
      code: 'bad_message',
      message: 'deviceName: must contain a visible character',
    });
    expect(await phone.requestLink('Phone\u202E')).toMatchObject({
      code: 'bad_message',
      message: 'deviceName: must not contain bidirectional control characters',
    });
  });

  test('right-to-left, CJK and emoji names are stored as sent', async () => {
    const client = await server.client();
    const displayName = 'דנה 王 👩‍💻';
    expect(await register(client, { displayName, deviceName: 'מחשב' })).toMatchObject({
      type: 'session',
      user: { username: 'mallory', displayName },
    });
  });

  test('an account whose name an older server stored with an override still signs in and is listed as stored', async () => {
    const mallory = await server.registered('mallory');
    const bob = await server.registered('bob');
    await bob.request({ type: 'contacts.add', username: 'mallory' });
    await server.stop();
    const legacyName = 'gnp.\u202Eexe';
    const db = new BetterSqlite3(join(server.dataDir, DATABASE_FILE));
    db.prepare('UPDATE users SET display_name = ? WHERE username = ?').run(legacyName, 'mallory');
    db.prepare('UPDATE devices SET name = ?').run('\u200B');
    db.close();
    await server.restart();

    const again = await server.client();
    expect(await again.login('mallory', mallory.deviceId, mallory.keys)).toMatchObject({
      type: 'session',
      user: { displayName: legacyName },
    });
    expect(await again.request({ type: 'devices.list' })).toMatchObject({
      devices: [{ deviceName: '\u200B' }],
    });
    const bobAgain = await server.client();
    await bobAgain.login('bob', bob.deviceId, bob.keys);
    expect(await bobAgain.request({ type: 'contacts.list' })).toMatchObject({
      contacts: [{ username: 'mallory', displayName: legacyName }],
    });
    // dispose() fails the test if any of these replies broke the protocol's ServerMessage schema.
  });
});

describe('profile.update', () => {
  test('renames the account for good: contacts, lookups and calls show the new name', async () => {
    const alice = await server.registered('alice');
    const bob = await server.registered('bob');
    await bob.request({ type: 'contacts.add', username: 'alice' });
    expect(
      await alice.request({ type: 'profile.update', displayName: '  Alice Liddell ' }),
    ).toMatchObject({ type: 'ok' });
    // Bob, who has her as a contact, is told at once.
    expect(await bob.nextOf('contact.renamed')).toMatchObject({
      username: 'alice',
      displayName: 'Alice Liddell',
    });
    expect(await bob.request({ type: 'contacts.list' })).toMatchObject({
      contacts: [{ username: 'alice', displayName: 'Alice Liddell' }],
    });
    const callId = '0d4cbb0e-7f83-4e4b-a8c6-1d1a3a5e0f9d';
    await alice.invite(callId, 'bob');
    expect(await bob.nextOf('call.invite', callId)).toMatchObject({
      from: { username: 'alice', displayName: 'Alice Liddell' },
    });

    await server.stop();
    await server.restart();
    const again = await server.client();
    expect(await again.login('alice', alice.deviceId, alice.keys)).toMatchObject({
      user: { username: 'alice', displayName: 'Alice Liddell' },
    });
  });

  test('a name that breaks the registration rules is refused and changes nothing', async () => {
    const alice = await server.registered('alice');
    const bob = await server.registered('bob');
    for (const displayName of ['   ', 'x'.repeat(65), 'evil\u202Eeman', 'line\nbreak']) {
      expect(await alice.request({ type: 'profile.update', displayName })).toMatchObject({
        type: 'error',
        code: 'bad_message',
      });
    }
    expect(await bob.request({ type: 'user.lookup', username: 'alice' })).toMatchObject({
      displayName: 'ALICE',
    });
  });
});
