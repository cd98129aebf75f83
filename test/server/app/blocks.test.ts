import { randomUUID } from 'node:crypto';
import { MAX_BLOCKED_USERS } from '../../../protocol';
import { AccountStore } from '../../../server/db/AccountStore';
import { ContactStore } from '../../../server/db/ContactStore';
import { openDatabase } from '../../../server/db/openDatabase';
import { seedAccounts } from '../support/seedAccounts';
import { newDeviceKeys, type TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

/** Alice and bob, who have added each other: each sees the other online. */
async function friends(): Promise<{ server: TestServer; alice: TestClient; bob: TestClient }> {
  const started = await TestServer.start();
  server = started;
  const alice = await started.registered('alice');
  const bob = await started.registered('bob');
  await bob.request({ type: 'contacts.add', username: 'alice' });
  await alice.request({ type: 'contacts.add', username: 'bob' });
  return { server: started, alice, bob };
}

test("a blocked user's call is busy at once and rings none of the blocker's devices", async () => {
  const { server, alice, bob } = await friends();
  const bob2 = await server.linkedDevice(bob);
  expect(await bob.request({ type: 'blocks.add', username: 'alice' })).toMatchObject({
    type: 'blocks',
    usernames: ['alice'],
  });

  const callId = randomUUID();
  expect(await alice.invite(callId, 'bob', 'audio')).toMatchObject({ type: 'ok' });
  expect(await alice.nextOf('call.busy', callId)).toMatchObject({ type: 'call.busy', callId });
  for (const device of [bob, bob2]) {
    expect(await device.collect(300, (m) => m.type === 'call.invite')).toEqual([]);
  }

  // Unblocked, her next call rings him again.
  expect(await bob.request({ type: 'blocks.remove', username: 'alice' })).toMatchObject({
    type: 'blocks',
    usernames: [],
  });
  const again = randomUUID();
  expect(await alice.invite(again, 'bob', 'audio')).toMatchObject({ type: 'ok' });
  expect(await bob.nextOf('call.invite', again)).toMatchObject({ callId: again });
});

test('a blocked user is told the blocker is offline and gets none of their presence', async () => {
  const { server, alice, bob } = await friends();
  await bob.request({ type: 'blocks.add', username: 'alice' });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'offline' });
  expect(await alice.request({ type: 'user.lookup', username: 'bob' })).toMatchObject({
    presence: 'offline',
  });
  expect(await alice.request({ type: 'contacts.list' })).toMatchObject({
    contacts: [{ username: 'bob', presence: 'offline' }],
  });
  // Bob's second device signing in changes nothing alice is told.
  const bob2 = await server.linkedDevice(bob);
  await bob.signOut();
  expect(await alice.collect(300, (m) => m.type === 'presence')).toEqual([]);

  // Unblocked, she sees him online again, at once.
  await bob2.request({ type: 'blocks.remove', username: 'alice' });
  expect(await alice.nextOf('presence')).toMatchObject({ username: 'bob', presence: 'online' });
});

test('the block list survives a restart', async () => {
  const { server, alice, bob } = await friends();
  await bob.request({ type: 'blocks.add', username: 'alice' });
  await server.stop();
  await server.restart();
  const bobAgain = await server.client();
  await bobAgain.login('bob', bob.deviceId, bob.keys);
  expect(await bobAgain.request({ type: 'blocks.list' })).toMatchObject({
    usernames: ['alice'],
  });
  const aliceAgain = await server.client();
  await aliceAgain.login('alice', alice.deviceId, alice.keys);
  const callId = randomUUID();
  await aliceAgain.invite(callId, 'bob');
  expect(await aliceAgain.nextOf('call.busy', callId)).toMatchObject({ callId });
});

test('blocking yourself or an unknown user is refused and changes nothing', async () => {
  const { bob } = await friends();
  expect(await bob.request({ type: 'blocks.add', username: 'bob' })).toMatchObject({
    type: 'error',
    code: 'bad_message',
  });
  expect(await bob.request({ type: 'blocks.add', username: 'ghost' })).toMatchObject({
    type: 'error',
    code: 'unknown_user',
  });
  expect(await bob.request({ type: 'blocks.add', username: 'Not A Name' })).toMatchObject({
    type: 'error',
    code: 'bad_message',
  });
  expect(await bob.request({ type: 'blocks.list' })).toMatchObject({ usernames: [] });
});

test(`at most ${MAX_BLOCKED_USERS} users can be blocked: more is blocks_full`, async () => {
  const names = Array.from({ length: MAX_BLOCKED_USERS + 1 }, (_, i) => `pest_${i}`);
  const started = new TestServer();
  server = started;
  // One key for all of them: signing up a thousand devices' keys would be slow, and they never sign in.
  const { identityKey } = newDeviceKeys();
  const [owner] = seedAccounts(started.dataDir, [
    'bob',
    ...names.map((username) => ({ username, identityKey })),
  ]);
  const db = openDatabase(started.dataDir);
  const accounts = new AccountStore(db);
  const contacts = new ContactStore(db);
  const bobId = accounts.userByName('bob')!.id;
  db.transaction(() => {
    for (const name of names.slice(0, MAX_BLOCKED_USERS)) {
      contacts.block(bobId, accounts.userByName(name)!.id, Date.now());
    }
  })();
  db.close();
  await started.restart();
  const bob = await started.client();
  await bob.login('bob', owner!.deviceId, owner!.keys!);

  expect(await bob.request({ type: 'blocks.add', username: names.at(-1)! })).toMatchObject({
    type: 'error',
    code: 'blocks_full',
  });
  const list = await bob.request({ type: 'blocks.list' });
  expect(list.type === 'blocks' && list.usernames).toHaveLength(MAX_BLOCKED_USERS);
  expect(list.type === 'blocks' && list.usernames).not.toContain(names.at(-1));
}, 30_000);
