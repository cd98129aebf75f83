import { randomUUID } from 'node:crypto';
import { CONTACTS_PAGE_DEFAULT, type ServerMessageOf } from '../../../protocol';
import type { TestClient } from '../support/TestClient';
import { seedAccounts } from '../support/seedAccounts';
import { TestServer } from '../support/testServer';

let server: TestServer;
afterEach(() => server.dispose());

type ContactsPage = ServerMessageOf<'contacts'>;

async function page(client: TestClient, fields: { after?: string; limit?: number } = {}) {
  const reply = await client.request({ type: 'contacts.list', ...fields });
  if (reply.type !== 'contacts') throw new Error(`expected contacts, got ${JSON.stringify(reply)}`);
  return reply;
}

/** Every page from the start, following `next` until it is null. */
async function walk(client: TestClient, limit?: number): Promise<ContactsPage[]> {
  const pages = [await page(client, limit === undefined ? {} : { limit })];
  for (let last = pages[0]!; last.next !== null; pages.push(last)) {
    last = await page(client, { after: last.next, ...(limit === undefined ? {} : { limit }) });
  }
  return pages;
}

const usernames = (pages: ContactsPage[]) =>
  pages.flatMap((p) => p.contacts.map((c) => c.username));

describe('a list of 250 contacts', () => {
  const names = Array.from({ length: 250 }, (_, i) => `friend_${String(i).padStart(3, '0')}`);
  let alice: TestClient;

  beforeEach(async () => {
    server = new TestServer();
    const [owner] = seedAccounts(server.dataDir, ['alice', ...[...names].reverse()], names);
    await server.restart();
    alice = await server.client();
    if (!owner?.keys) throw new Error('alice was not seeded with keys');
    await alice.login('alice', owner.deviceId, owner.keys);
  });

  test('comes in pages of 100 by username, each naming where the next starts', async () => {
    const pages = await walk(alice);
    expect(pages.map((p) => p.contacts.length)).toEqual([CONTACTS_PAGE_DEFAULT, 100, 50]);
    expect(pages.map((p) => p.next)).toEqual(['friend_099', 'friend_199', null]);
    expect(usernames(pages)).toEqual(names);
    expect(pages[0]!.contacts[0]).toMatchObject({
      username: 'friend_000',
      displayName: 'FRIEND_000',
      presence: 'offline',
    });
  });

  test('any page size walks every contact once, in order', async () => {
    for (const limit of [7, 33, 100]) {
      const pages = await walk(alice, limit);
      expect(usernames(pages)).toEqual(names);
      expect(pages).toHaveLength(Math.ceil(names.length / limit));
    }
  });

  test('after need not be a contact: the page starts at the next username', async () => {
    const reply = await page(alice, { after: 'friend_0995', limit: 2 });
    expect(reply.contacts.map((c) => c.username)).toEqual(['friend_100', 'friend_101']);
    expect(reply.next).toBe('friend_101');
    expect(await page(alice, { after: 'zzz' })).toMatchObject({ contacts: [], next: null });
  });

  test('a limit outside 1-100 or an after that is not a username is refused', async () => {
    for (const fields of [{ limit: 101 }, { limit: 0 }, { after: 'Friend' }]) {
      expect(await alice.request({ type: 'contacts.list', ...fields })).toMatchObject({
        type: 'error',
        code: 'bad_message',
      });
    }
  });
});

test('contacts.add answers the contact alone, the same one when added again', async () => {
  server = await TestServer.start();
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  // Bob shares his presence with alice only once he has added her himself.
  await bob.request({ type: 'contacts.add', username: 'alice' });
  const expected = {
    v: 1,
    type: 'contact',
    re: expect.any(String),
    contact: {
      username: 'bob',
      displayName: 'BOB',
      presence: 'online',
      identityKey: bob.keys.identityKey,
    },
  };
  expect(await alice.request({ type: 'contacts.add', username: 'bob' })).toEqual(expected);
  expect(await alice.request({ type: 'contacts.add', username: 'bob' })).toEqual(expected);
  expect(await page(alice)).toMatchObject({ contacts: [{ username: 'bob' }], next: null });
});

describe('a server that allows 3 contacts per account', () => {
  let alice: TestClient;
  beforeEach(async () => {
    server = await TestServer.start({ maxContacts: 3 });
    alice = await server.registered('alice');
    for (const name of ['bob', 'carol', 'dave']) {
      await server.registered(name);
      expect(await alice.request({ type: 'contacts.add', username: name })).toMatchObject({
        type: 'contact',
      });
    }
  });

  test('a fourth contact is refused with contacts_full and nothing changes', async () => {
    const erin = await server.registered('erin');
    expect(await alice.request({ type: 'contacts.add', username: 'erin' })).toMatchObject({
      type: 'error',
      code: 'contacts_full',
    });
    expect(usernames([await page(alice)])).toEqual(['bob', 'carol', 'dave']);
    // Adding one already there still answers it: nothing new is added.
    expect(await alice.request({ type: 'contacts.add', username: 'bob' })).toMatchObject({
      type: 'contact',
      contact: { username: 'bob' },
    });
    // erin's presence is not pushed to alice: erin is not in her list.
    await erin.signOut();
    expect(await alice.collect(200, (m) => m.type === 'presence')).toEqual([]);
  });

  test('a call from a full list goes on without adding the callee', async () => {
    const erin = await server.registered('erin');
    const callId = randomUUID();
    expect(await alice.invite(callId, 'erin')).toMatchObject({ type: 'ok' });
    await erin.nextOf('call.invite', callId);
    erin.accept(callId);
    await alice.nextOf('call.accept', callId);
    alice.send({ v: 1, type: 'call.hangup', callId });
    await erin.nextOf('call.hangup', callId);
    expect(usernames([await page(alice)])).toEqual(['bob', 'carol', 'dave']);
    // The callee's list had room: the accept added alice there, as always.
    expect(usernames([await page(erin)])).toEqual(['alice']);
  });

  test('a call to a full list goes on without adding the caller, who then gets no presence', async () => {
    const erin = await server.registered('erin');
    const callId = randomUUID();
    expect(await erin.invite(callId, 'alice')).toMatchObject({ type: 'ok' });
    await alice.nextOf('call.invite', callId);
    alice.accept(callId);
    await erin.nextOf('call.accept', callId);
    erin.send({ v: 1, type: 'call.hangup', callId });
    await alice.nextOf('call.hangup', callId);
    expect(usernames([await page(alice)])).toEqual(['bob', 'carol', 'dave']);
    expect(usernames([await page(erin)])).toEqual(['alice']);
    await erin.signOut();
    expect(await alice.collect(200, (m) => m.type === 'presence')).toEqual([]);
  });
});

test('contacts.remove takes a contact off the list for good; the other list keeps its own', async () => {
  server = await TestServer.start();
  const alice = await server.registered('alice');
  const bob = await server.registered('bob');
  await alice.request({ type: 'contacts.add', username: 'bob' });
  await bob.request({ type: 'contacts.add', username: 'alice' });
  expect(await alice.request({ type: 'contacts.remove', username: 'bob' })).toMatchObject({
    type: 'ok',
  });
  // Removing again, or someone who was never a contact, is fine and changes nothing.
  expect(await alice.request({ type: 'contacts.remove', username: 'bob' })).toMatchObject({
    type: 'ok',
  });
  expect(await page(alice)).toMatchObject({ contacts: [], next: null });
  expect(await page(bob)).toMatchObject({ contacts: [{ username: 'alice' }] });

  await server.stop();
  await server.restart();
  const aliceAgain = await server.client();
  await aliceAgain.login('alice', alice.deviceId, alice.keys);
  expect(await page(aliceAgain)).toMatchObject({ contacts: [], next: null });
});

test('contacts.remove of yourself or an unknown user is refused', async () => {
  server = await TestServer.start();
  const alice = await server.registered('alice');
  expect(await alice.request({ type: 'contacts.remove', username: 'alice' })).toMatchObject({
    type: 'error',
    code: 'bad_message',
  });
  expect(await alice.request({ type: 'contacts.remove', username: 'ghost' })).toMatchObject({
    type: 'error',
    code: 'unknown_user',
  });
});
