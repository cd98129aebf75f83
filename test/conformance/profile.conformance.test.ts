/** Conformance, from docs/protocol.md only: "Your display name" and the rules of "Names". */
import { expectError, useServer } from './harness';

const h = useServer();

test('profile.update stores the trimmed name; contacts and lookups show it', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  await bob.c.request('contacts.add', { username: alice.username });
  const r = await alice.c.request('profile.update', { displayName: '  Alice Liddell ' });
  expect(r).toEqual({ v: 1, type: 'ok', re: r.re });
  const pushed = await bob.c.next('contact.renamed');
  expect(pushed).toMatchObject({
    v: 1,
    type: 'contact.renamed',
    username: alice.username,
    displayName: 'Alice Liddell',
  });
  expect(await bob.c.request('contacts.list')).toMatchObject({
    contacts: [{ username: alice.username, displayName: 'Alice Liddell' }],
  });
  expect(await bob.c.request('user.lookup', { username: alice.username })).toMatchObject({
    displayName: 'Alice Liddell',
  });
});

test('profile.update with a name that breaks the rules is bad_message and changes nothing', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  for (const displayName of ['', ' \t ', 'a'.repeat(65), 'x\u202Ey', 'two\nlines', '\u200B']) {
    const r = await alice.c.request('profile.update', { displayName });
    expectError(r, 'bad_message', r.re as string);
  }
  expect(await bob.c.request('user.lookup', { username: alice.username })).toMatchObject({
    displayName: alice.displayName,
  });
});
