/**
 * Conformance, from docs/protocol.md only: "Who sees whose presence" and `contacts.remove`
 * ("People and presence"), and "Blocking".
 */
import * as crypto from 'node:crypto';
import { byCall, expectError, inviteAudio, useServer, type User } from './harness';

const h = useServer({ ringTimeoutMs: 10_000 });

/** Two users who have added each other. */
async function friends(): Promise<[User, User]> {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  await bob.c.request('contacts.add', { username: alice.username });
  await alice.c.request('contacts.add', { username: bob.username });
  return [alice, bob];
}

describe('who sees whose presence', () => {
  test('only people the user added see it; adding shares it at once, removing stops it', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const added = await alice.c.request('contacts.add', { username: bob.username });
    expect(added).toMatchObject({ contact: { username: bob.username, presence: 'offline' } });

    await bob.c.request('contacts.add', { username: alice.username });
    const shared = await alice.c.next('presence', (m) => m.username === bob.username);
    expect(shared).toEqual({ v: 1, type: 'presence', username: bob.username, presence: 'online' });

    const removed = await bob.c.request('contacts.remove', { username: alice.username });
    expect(removed).toEqual({ v: 1, type: 'ok', re: removed.re });
    const hidden = await alice.c.next('presence', (m) => m.username === bob.username);
    expect(hidden).toMatchObject({ presence: 'offline' });
    expect(await bob.c.request('contacts.list')).toMatchObject({ contacts: [], next: null });
    // One way: alice keeps bob.
    const aliceList = await alice.c.request('contacts.list');
    expect(aliceList).toMatchObject({
      contacts: [{ username: bob.username, presence: 'offline' }],
    });
  });

  test('contacts.remove of a non-contact is ok; of yourself or nobody is refused', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const r = await alice.c.request('contacts.remove', { username: bob.username });
    expect(r).toMatchObject({ type: 'ok' });
    const self = await alice.c.request('contacts.remove', { username: alice.username });
    expectError(self, 'bad_message', self.re as string);
    const nobody = await alice.c.request('contacts.remove', { username: h.uniqueName('nobody') });
    expectError(nobody, 'unknown_user', nobody.re as string);
  });
});

describe('blocking', () => {
  test('blocks.add / blocks.remove / blocks.list answer the whole list', async () => {
    const [alice, bob] = await friends();
    const carol = await h.newUser('carol');
    const one = await bob.c.request('blocks.add', { username: carol.username });
    expect(one).toEqual({ v: 1, type: 'blocks', re: one.re, usernames: [carol.username] });
    const two = await bob.c.request('blocks.add', { username: alice.username });
    expect(two).toMatchObject({ usernames: [alice.username, carol.username].sort() });
    const again = await bob.c.request('blocks.add', { username: alice.username });
    expect(again).toMatchObject({ usernames: [alice.username, carol.username].sort() });
    const lifted = await bob.c.request('blocks.remove', { username: carol.username });
    expect(lifted).toMatchObject({ usernames: [alice.username] });
    expect(await bob.c.request('blocks.list')).toMatchObject({ usernames: [alice.username] });
    // Blocking does not touch either contact list.
    expect(await bob.c.request('contacts.list')).toMatchObject({
      contacts: [{ username: alice.username }],
    });
    const self = await bob.c.request('blocks.add', { username: bob.username });
    expectError(self, 'bad_message', self.re as string);
    const nobody = await bob.c.request('blocks.add', { username: h.uniqueName('nobody') });
    expectError(nobody, 'unknown_user', nobody.re as string);
  });

  test("a blocked user's call is ok, then busy, and the blocker's device never rings", async () => {
    const [alice, bob] = await friends();
    await bob.c.request('blocks.add', { username: alice.username });
    const callId = crypto.randomUUID();
    expect(await inviteAudio(alice, bob.username, callId)).toMatchObject({ type: 'ok' });
    expect(await alice.c.next('call.busy', byCall(callId))).toEqual({
      v: 1,
      type: 'call.busy',
      callId,
    });
    expect(await bob.c.collect('call.invite', byCall(callId), 300)).toEqual([]);

    await bob.c.request('blocks.remove', { username: alice.username });
    const next = crypto.randomUUID();
    expect(await inviteAudio(alice, bob.username, next)).toMatchObject({ type: 'ok' });
    expect(await bob.c.next('call.invite', byCall(next))).toMatchObject({ callId: next });
  });

  test('a blocked user is told the blocker is offline, and again their presence on unblock', async () => {
    const [alice, bob] = await friends();
    await bob.c.request('blocks.add', { username: alice.username });
    const hidden = await alice.c.next('presence', (m) => m.username === bob.username);
    expect(hidden).toMatchObject({ presence: 'offline' });
    expect(await alice.c.request('user.lookup', { username: bob.username })).toMatchObject({
      presence: 'offline',
    });
    await bob.c.request('blocks.remove', { username: alice.username });
    const shown = await alice.c.next('presence', (m) => m.username === bob.username);
    expect(shown).toMatchObject({ presence: 'online' });
  });
});
