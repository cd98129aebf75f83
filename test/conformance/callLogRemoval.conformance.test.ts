/**
 * Conformance of "Call log" / "Removing entries" in docs/protocol.md: `calllog.delete`,
 * `calllog.clear` and the `calllog.changed` notice, written from the document alone.
 */
import * as crypto from 'node:crypto';
import { byCall, expectError, inviteAudio, linkDevice, useServer, type User } from './harness';

jest.setTimeout(20_000);

const h = useServer();

/** `caller` rings `callee` and cancels: a `cancelled` call in both logs once the callee is told. */
async function cancelledCall(caller: User, callee: User): Promise<string> {
  const callId = crypto.randomUUID();
  const reply = await inviteAudio(caller, callee.username, callId);
  expect(reply).toMatchObject({ type: 'ok' });
  await callee.c.next('call.invite', byCall(callId));
  caller.c.notify('call.cancel', { callId });
  await callee.c.next('call.cancel', byCall(callId));
  return callId;
}

async function logIds(u: User): Promise<string[]> {
  const r = await u.c.request('calllog.list');
  expect(r.type).toBe('calllog');
  return (r.entries as { callId: string }[]).map((e) => e.callId);
}

test('calllog.delete removes the entry from the asking user log only; reply ok', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  const first = await cancelledCall(alice, bob);
  const second = await cancelledCall(alice, bob);

  const r = await alice.c.request('calllog.delete', { callId: first }, { id: 'r11' });
  expect(r).toEqual({ v: 1, type: 'ok', re: 'r11' });
  expect(await logIds(alice)).toEqual([second]);
  // "the other party's log keeps them" (bob's two cancelled calls may be merged into one entry).
  const bobLog = await bob.c.request('calllog.list');
  expect((bobLog.entries as { callId: string; count: number }[])[0]).toMatchObject({
    callId: second,
    count: 2,
  });
});

test('unknown, someone else, already removed, still ringing: unknown_log_entry with the callId', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  const carol = await h.newUser('carol');
  const others = await cancelledCall(bob, carol);
  const mine = await cancelledCall(alice, bob);
  expect(await alice.c.request('calllog.delete', { callId: mine })).toMatchObject({ type: 'ok' });

  const ringing = crypto.randomUUID();
  const invited = await inviteAudio(alice, carol.username, ringing);
  expect(invited).toMatchObject({ type: 'ok' });

  for (const callId of [crypto.randomUUID(), others, mine, ringing]) {
    const id = `del-${callId.slice(0, 8)}`;
    const e = await alice.c.request('calllog.delete', { callId }, { id });
    expectError(e, 'unknown_log_entry', id);
    expect(e.callId).toBe(callId);
  }
  // "nothing was removed"
  expect(await logIds(bob)).toEqual([mine, others]);
  expect(await logIds(carol)).toEqual([others]);

  const bad = await alice.c.request('calllog.delete', { callId: 'not-a-uuid' });
  expectError(bad, 'bad_message', bad.re as string);
});

test('calllog.clear empties the asking user log, also when already empty; others keep theirs', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  const carol = await h.newUser('carol');
  const toBob = await cancelledCall(alice, bob);
  const fromCarol = await cancelledCall(carol, alice);

  expect(await alice.c.request('calllog.clear', {}, { id: 'r13' })).toEqual({
    v: 1,
    type: 'ok',
    re: 'r13',
  });
  expect(await logIds(alice)).toEqual([]);
  expect(await logIds(bob)).toEqual([toBob]);
  expect(await logIds(carol)).toEqual([fromCarol]);
  expect(await alice.c.request('calllog.clear')).toMatchObject({ type: 'ok' });

  // Calls that end after a clear are listed as usual.
  const later = await cancelledCall(carol, alice);
  expect(await logIds(alice)).toEqual([later]);
});

test("the user's other devices receive calllog.changed; the asking device and other users do not", async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  const phone = await linkDevice(h, alice);
  const callId = await cancelledCall(bob, alice);

  expect(await alice.c.request('calllog.delete', { callId })).toMatchObject({ type: 'ok' });
  // The client takes `seq` off in-stream notices: what is left is the notice's own `{}`.
  const changed = await phone.c.next('calllog.changed');
  expect(changed).toEqual({ v: 1, type: 'calllog.changed' });
  expect(await logIds(phone)).toEqual([]);

  expect(await phone.c.request('calllog.clear')).toMatchObject({ type: 'ok' });
  await alice.c.next('calllog.changed');
  expect(await phone.c.collect('calllog.changed')).toEqual([]);
  expect(await bob.c.collect('calllog.changed')).toEqual([]);
});

test('removals stay removed across a server restart', async () => {
  const alice = await h.newUser('alice');
  const bob = await h.newUser('bob');
  const kept = await cancelledCall(alice, bob);
  const removed = await cancelledCall(alice, bob);
  expect(await alice.c.request('calllog.delete', { callId: removed })).toMatchObject({
    type: 'ok',
  });
  expect(await bob.c.request('calllog.clear')).toMatchObject({ type: 'ok' });

  await h.restart();
  const aliceAgain = await h.connect();
  expect(await aliceAgain.resume(alice)).toMatchObject({ type: 'session' });
  const bobAgain = await h.connect();
  expect(await bobAgain.resume(bob)).toMatchObject({ type: 'session' });
  expect(await logIds({ ...alice, c: aliceAgain })).toEqual([kept]);
  expect(await logIds({ ...bob, c: bobAgain })).toEqual([]);
});
