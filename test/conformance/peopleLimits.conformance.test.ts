/**
 * Conformance, from docs/protocol.md only: contact pages and the contact cap ("People and
 * presence"), invite limits ("Invite limits") and merged call-log entries ("Call log").
 */
import * as crypto from 'node:crypto';
import type { Msg } from './DocClient';
import { byCall, expectError, inviteAudio, useServer, type User } from './harness';

// A small contact cap, so that reaching it takes a few users; the invite limits are the defaults.
const MAX_CONTACTS = 3;
const h = useServer({ maxContacts: MAX_CONTACTS, ringTimeoutMs: 10_000 });

/** A call the caller cancels while it rings: the callee's log has it as `cancelled`. */
async function ringAndCancel(caller: User, callee: User): Promise<string> {
  const callId = crypto.randomUUID();
  expect(await inviteAudio(caller, callee.username, callId)).toMatchObject({ type: 'ok' });
  await callee.c.next('call.invite', byCall(callId));
  caller.c.notify('call.cancel', { callId });
  await callee.c.next('call.cancel', byCall(callId));
  return callId;
}

async function logOf(u: User): Promise<Msg[]> {
  const r = await u.c.request('calllog.list', { limit: 500 });
  expect(r).toMatchObject({ v: 1, type: 'calllog' });
  return r.entries as Msg[];
}

describe('contact list pages', () => {
  test('contacts.list pages by username; next is the following after, null at the end', async () => {
    const alice = await h.newUser('alice');
    // The cap is 3: two accounts each add three, and calls are not needed.
    const friends = [await h.newUser('pal'), await h.newUser('pal'), await h.newUser('pal')];
    for (const friend of friends) {
      const r = await alice.c.request('contacts.add', { username: friend.username });
      expect(r).toMatchObject({ type: 'contact', contact: { username: friend.username } });
    }
    const sorted = friends.map((f) => f.username).sort();

    const pages = await alice.c.contactPages(2);
    expect(pages.map((p) => p.type)).toEqual(['contacts', 'contacts']);
    expect(pages.map((p) => (p.contacts as Msg[]).map((c) => c.username))).toEqual([
      sorted.slice(0, 2),
      sorted.slice(2),
    ]);
    expect(pages.map((p) => p.next)).toEqual([sorted[1], null]);
    for (const contact of pages.flatMap((p) => p.contacts as Msg[])) {
      expect(Object.keys(contact).sort()).toEqual(
        ['displayName', 'identityKey', 'presence', 'username'].sort(),
      );
    }

    // Without a limit: up to 100 in one page.
    const [whole] = await alice.c.contactPages();
    expect(whole).toMatchObject({ type: 'contacts', next: null });
    expect((whole!.contacts as Msg[]).map((c) => c.username)).toEqual(sorted);

    // `after` need not be a contact.
    const tail = await alice.c.request('contacts.list', { after: `${sorted[0]}0` });
    expect((tail.contacts as Msg[]).map((c) => c.username)).toEqual(sorted.slice(1));

    for (const fields of [{ limit: 0 }, { limit: 101 }, { after: 'NotAUsername' }]) {
      const r = await alice.c.request('contacts.list', fields);
      expectError(r, 'bad_message', r.re as string);
    }
  });

  test('a full contact list: contacts_full, nothing added; an existing contact is answered', async () => {
    const alice = await h.newUser('alice');
    const others: User[] = [];
    for (let i = 0; i <= MAX_CONTACTS; i += 1) others.push(await h.newUser('pal'));
    for (const other of others.slice(0, MAX_CONTACTS)) {
      await alice.c.request('contacts.add', { username: other.username });
    }
    const extra = others[MAX_CONTACTS]!;
    const full = await alice.c.request('contacts.add', { username: extra.username });
    expectError(full, 'contacts_full', full.re as string);
    const [list] = await alice.c.contactPages();
    expect((list!.contacts as Msg[]).map((c) => c.username)).not.toContain(extra.username);
    expect(list!.contacts).toHaveLength(MAX_CONTACTS);
    const again = await alice.c.request('contacts.add', { username: others[0]!.username });
    expect(again).toMatchObject({ type: 'contact', contact: { username: others[0]!.username } });

    // A call from the full list goes on; the callee is not added.
    const callId = crypto.randomUUID();
    expect(await inviteAudio(alice, extra.username, callId)).toMatchObject({ type: 'ok' });
    await extra.c.next('call.invite', byCall(callId));
    alice.c.notify('call.cancel', { callId });
    await extra.c.next('call.cancel', byCall(callId));
    const [after] = await alice.c.contactPages();
    expect(after!.contacts).toHaveLength(MAX_CONTACTS);
  });
});

describe('invite limits', () => {
  test('a sixth call to one callee at once is too_many_calls with retryAfterMs; nothing rings', async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    for (let i = 0; i < 5; i += 1) await ringAndCancel(alice, bob);
    const callId = crypto.randomUUID();
    const refused = await inviteAudio(alice, bob.username, callId);
    expectError(refused, 'too_many_calls', refused.re as string);
    expect(refused.callId).toBe(callId);
    expect(refused.retryAfterMs).toEqual(expect.any(Number));
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(20_000);
    expect(await bob.c.collect('call.invite')).toEqual([]);
    expect((await logOf(alice)).map((e) => e.callId)).not.toContain(callId);
    // The limit is per callee: another one still rings.
    await ringAndCancel(alice, await h.newUser('carol'));
  });

  test('an eleventh call at once, whoever it is to, is too_many_calls', async () => {
    const alice = await h.newUser('alice');
    const callees: User[] = [];
    for (let i = 0; i < 6; i += 1) callees.push(await h.newUser('pal'));
    for (let i = 0; i < 10; i += 1) await ringAndCancel(alice, callees[i % 5]!);
    const refused = await inviteAudio(alice, callees[5]!.username);
    expectError(refused, 'too_many_calls', refused.re as string);
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(refused.retryAfterMs as number).toBeLessThanOrEqual(10_000);
    expect(await callees[5]!.c.collect('call.invite')).toEqual([]);
  });
});

describe('merged call-log entries', () => {
  test("repeated unanswered calls from one caller are one entry of the callee's log", async () => {
    const alice = await h.newUser('alice');
    const bob = await h.newUser('bob');
    const carol = await h.newUser('carol');
    const first = [await ringAndCancel(alice, bob), await ringAndCancel(alice, bob)];
    const third = await ringAndCancel(alice, bob);
    const fromCarol = await ringAndCancel(carol, bob);
    const last = await ringAndCancel(alice, bob);

    const bobLog = await logOf(bob);
    expect(
      bobLog.map((e) => [e.callId, e.peer && (e.peer as Msg).username, e.outcome, e.count]),
    ).toEqual([
      [last, alice.username, 'cancelled', 1],
      [fromCarol, carol.username, 'cancelled', 1],
      [third, alice.username, 'cancelled', 3],
    ]);
    // The caller's log lists every call, each with count 1.
    const aliceLog = await logOf(alice);
    expect(aliceLog.map((e) => [e.callId, e.direction, e.count])).toEqual(
      [last, third, ...[...first].reverse()].map((id) => [id, 'outgoing', 1]),
    );
    // A merged call's id stays used.
    const reused = await inviteAudio(alice, carol.username, first[0]);
    expectError(reused, 'call_state', reused.re as string);
  });
});
