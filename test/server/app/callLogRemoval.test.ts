import BetterSqlite3 from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { ServerMessageOf } from '../../../protocol';
import { DATABASE_FILE } from '../../../server/db/openDatabase';
import { ringAndCancel, startAcceptedCall } from '../support/inCall';
import type { TestClient } from '../support/TestClient';
import { TestServer } from '../support/testServer';

type Entry = ServerMessageOf<'calllog'>['entries'][number];

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let carol: TestClient;
beforeEach(async () => {
  server = await TestServer.start();
  alice = await server.registered('alice');
  bob = await server.registered('bob');
  carol = await server.registered('carol');
});
afterEach(() => server.dispose());

async function log(client: TestClient): Promise<Entry[]> {
  const reply = await client.request({ type: 'calllog.list' });
  if (reply.type !== 'calllog') throw new Error(`expected calllog, got ${JSON.stringify(reply)}`);
  return reply.entries;
}
const ids = async (client: TestClient) => (await log(client)).map((entry) => entry.callId);

/** An answered call from `from` to `to`, hung up by `from`. */
async function answeredCall(from: TestClient, to: TestClient): Promise<string> {
  const callId = await startAcceptedCall(from, to);
  from.send({ v: 1, type: 'call.hangup', callId });
  await to.nextOf('call.hangup', callId);
  return callId;
}

/** Whether the row on disk, read by another connection, is removed from each side's log. */
function removedOnDisk(callId: string): { caller: number; callee: number } {
  const db = new BetterSqlite3(join(server.dataDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare(
        'SELECT caller_removed AS caller, callee_removed AS callee FROM call_log WHERE call_id = ?',
      )
      .get(callId) as { caller: number; callee: number };
  } finally {
    db.close();
  }
}

test("removing an entry takes it from the asker's log only, on disk before the ok", async () => {
  const first = await answeredCall(alice, bob);
  const second = await answeredCall(alice, bob);

  const reply = await bob.request({ type: 'calllog.delete', callId: first });
  expect(reply).toMatchObject({ type: 'ok' });
  expect(removedOnDisk(first)).toEqual({ caller: 0, callee: 1 });

  expect(await ids(bob)).toEqual([second]);
  // Alice, the other party, keeps her entry of that call.
  expect(await ids(alice)).toEqual([second, first]);

  // The caller removes the call from her own log too: both are now without it.
  expect(await alice.request({ type: 'calllog.delete', callId: first })).toMatchObject({
    type: 'ok',
  });
  expect(await ids(alice)).toEqual([second]);
  expect(await ids(bob)).toEqual([second]);
});

test("an unknown entry, someone else's entry, and one already removed get the same refusal", async () => {
  const theirs = await answeredCall(alice, carol);
  const mine = await answeredCall(alice, bob);
  expect(await bob.request({ type: 'calllog.delete', callId: mine })).toMatchObject({
    type: 'ok',
  });

  for (const callId of [randomUUID(), theirs, mine]) {
    const reply = await bob.request({ type: 'calllog.delete', callId });
    expect(reply).toMatchObject({ type: 'error', code: 'unknown_log_entry', callId });
  }
  // Nothing changed for anyone.
  expect(await ids(alice)).toEqual([mine, theirs]);
  expect(await ids(carol)).toEqual([theirs]);
  expect(await ids(bob)).toEqual([]);
});

test('a call still going on is not in the log yet, so it cannot be removed', async () => {
  const live = await startAcceptedCall(alice, bob);
  expect(await bob.request({ type: 'calllog.delete', callId: live })).toMatchObject({
    type: 'error',
    code: 'unknown_log_entry',
  });
  alice.send({ v: 1, type: 'call.hangup', callId: live });
  await bob.nextOf('call.hangup', live);
  expect(await ids(bob)).toEqual([live]);
});

test('a malformed call id is refused as a bad message and removes nothing', async () => {
  const callId = await answeredCall(alice, bob);
  expect(await bob.request({ type: 'calllog.delete', callId: 'not-a-uuid' })).toMatchObject({
    type: 'error',
    code: 'bad_message',
  });
  expect(await bob.request({ type: 'calllog.clear', everything: true })).toMatchObject({
    type: 'error',
    code: 'bad_message',
  });
  expect(await ids(bob)).toEqual([callId]);
});

test("clearing empties the asker's log, keeps the other parties' and stays cleared", async () => {
  const answered = await answeredCall(alice, bob);
  const missed = await ringAndCancel(carol, bob);
  const outgoing = await answeredCall(bob, carol);

  expect(await bob.request({ type: 'calllog.clear' })).toMatchObject({ type: 'ok' });
  expect(await log(bob)).toEqual([]);
  expect(await ids(alice)).toEqual([answered]);
  expect(await ids(carol)).toEqual([outgoing, missed]);

  // A new call after the clear is listed as usual; a missed call does not revive a cleared one.
  const later = await ringAndCancel(carol, bob);
  expect((await log(bob)).map((e) => [e.callId, e.count])).toEqual([[later, 1]]);

  await server.stop();
  await server.restart();
  const bobAgain = await server.client();
  await bobAgain.login('bob', bob.deviceId, bob.keys);
  expect(await ids(bobAgain)).toEqual([later]);
});

test("the user's other devices are told to list the log again; the asking device is not", async () => {
  const phone = await server.linkedDevice(bob, 'Phone');
  const first = await answeredCall(alice, bob);
  const second = await answeredCall(alice, bob);

  expect(await bob.request({ type: 'calllog.delete', callId: first })).toMatchObject({
    type: 'ok',
  });
  await phone.nextOf('calllog.changed');
  expect(await ids(phone)).toEqual([second]);

  expect(await phone.request({ type: 'calllog.clear' })).toMatchObject({ type: 'ok' });
  await bob.nextOf('calllog.changed');
  expect(await ids(bob)).toEqual([]);
  // Each device was told once, of the other's change only.
  const more = [...(await phone.collect(300)), ...(await bob.collect(0))];
  expect(more.filter((m) => m.type === 'calllog.changed')).toEqual([]);
});
