import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { login, register, registerMany, type BenchDevice } from '../../../bench/abuse/accounts';
import { BenchSocket } from '../../../bench/abuse/benchSocket';
import { total } from '../../../bench/abuse/counts';
import { runFuzzLanes, type FuzzLane } from '../../../bench/abuse/fuzzLanes';
import { DATABASE_FILE } from '../../../server/db/openDatabase';
import { TestServer } from '../support/testServer';

/**
 * The short version of the `abuse` benchmark's fuzz run (a million frames there): hostile frames
 * of every kind (bad JSON, wrong types, extra fields, `__proto__` keys, deep nesting, huge
 * strings, binary frames, valid-looking messages with random values), signed in and signed out,
 * paced within the rate limit. Every frame meant to be refused as malformed is refused so, the
 * server never stalls, no account or device appears, and a normal client is served correctly
 * afterwards.
 */
const FRAMES = 3000;
const LANES = 6;
const SIGNED_IN_LANES = 2;

// 500 frames per lane at the bench's pace of 40 a second: about 15 s, longer on a busy machine.
jest.setTimeout(180_000);

let server: TestServer;
beforeAll(async () => {
  server = await TestServer.start();
});
afterAll(() => server.dispose());

function accountRows(): { users: number; devices: number } {
  const db = new BetterSqlite3(join(server.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { users: count('users'), devices: count('devices') };
  } finally {
    db.close();
  }
}

test(`${FRAMES} hostile frames are refused one by one and change nothing`, async () => {
  const wsUrl = server.server.wsUrl;
  const accounts: BenchDevice[] = await registerMany(wsUrl, 'fuzz', SIGNED_IN_LANES + 1);
  const before = accountRows();
  const lanes: FuzzLane[] = Array.from({ length: LANES }, (_, index) => ({
    index,
    device: index < SIGNED_IN_LANES ? accounts[index]! : null,
    messages: FRAMES / LANES,
  }));

  const stats = await runFuzzLanes({
    job: 'fuzz',
    wsUrl,
    seed: 9,
    lanes,
    messagesPerConnection: 250,
    knownUsernames: accounts.map((account) => account.username),
  });

  expect(total(stats.sent)).toBe(FRAMES);
  expect(stats.refusableAcceptedExamples).toEqual([]);
  expect(stats.roundTripTimeouts).toBe(0);
  expect(stats.signInFailures).toBe(0);
  expect(stats.replies['error bad_message']).toBeGreaterThan(0);
  expect(stats.replies['error bad_json']).toBeGreaterThan(0);
  expect(stats.replies['error rate_limited'] ?? 0).toBe(0);
  expect(accountRows()).toEqual(before);

  // Afterwards the server serves a new client and a fuzzed device as if nothing happened.
  const fresh = await BenchSocket.open(wsUrl);
  const fuzzed = await BenchSocket.open(wsUrl);
  try {
    await register(fresh, 'afterfuzz');
    const contact = accounts[SIGNED_IN_LANES]!.username;
    await expect(fresh.request('contacts.add', { username: contact })).resolves.toMatchObject({
      type: 'contact',
      contact: { username: contact },
    });
    await expect(fresh.request('contacts.list', {})).resolves.toMatchObject({
      type: 'contacts',
      contacts: [{ username: contact }],
      next: null,
    });
    await expect(login(fuzzed, accounts[0]!)).resolves.toMatchObject({ type: 'session' });
    await expect(fuzzed.request('devices.list', {})).resolves.toMatchObject({ type: 'devices' });
  } finally {
    fresh.terminate();
    fuzzed.terminate();
  }
});
