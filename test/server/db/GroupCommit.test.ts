import BetterSqlite3 from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import WebSocket, { WebSocketServer } from 'ws';
import {
  COMMIT_FAILED_CLOSE_CODE,
  CommitGatedSocket,
} from '../../../server/connection/CommitGatedSocket';
import { AccountStore } from '../../../server/db/AccountStore';
import { ContactStore } from '../../../server/db/ContactStore';
import { GroupCommit, GROUP_COMMIT_OFF } from '../../../server/db/GroupCommit';
import { DATABASE_FILE, openDatabase, type Database } from '../../../server/db/openDatabase';
import { SessionStore } from '../../../server/db/SessionStore';

/**
 * Group commit against a real SQLite file: what waits for a commit runs only once the writes
 * before it are visible to another connection (committed), in the order it was held; a commit
 * that fails runs none of it, undoes its writes, is logged, and the next turn commits normally.
 */
let dataDir: string;
let db: Database;
/** A second connection to the same file: it sees only what is committed. */
let observer: Database;
let logged: { level: number; msg: string }[];
let commits: GroupCommit;
let accounts: AccountStore;
let sessions: SessionStore;
let contacts: ContactStore;

function logger() {
  logged = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean))
        logged.push(JSON.parse(line));
      done();
    },
  });
  return pino({ level: 'info' }, sink);
}

function open(delayMs: number) {
  db = openDatabase(dataDir);
  observer = new BetterSqlite3(join(dataDir, DATABASE_FILE), { readonly: true });
  commits = new GroupCommit(db, delayMs, logger());
  accounts = new AccountStore(db, commits);
  sessions = new SessionStore(db, 60_000, commits);
  contacts = new ContactStore(db, 1000, commits);
}

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
});
afterEach(() => {
  observer.close();
  db.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const committedUsers = () =>
  (observer.prepare('SELECT username FROM users ORDER BY id').all() as { username: string }[]).map(
    (row) => row.username,
  );

const walBytes = () => statSync(join(dataDir, `${DATABASE_FILE}-wal`)).size;

const key = (n: number) => Buffer.alloc(32, n).toString('base64');

const createUser = (name: string, n: number) =>
  accounts.createUser(name, name, { name: 'laptop', identityKey: key(n) }, Date.now());

/** Resolves after the current event-loop turn, and so after its commit (delay 0). */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

test('what waits for a commit runs once the writes before it are committed, in order', async () => {
  open(0);
  const seen: string[][] = [];
  const record = () => seen.push(committedUsers());

  createUser('alice', 1);
  commits.afterCommit(record, () => seen.push(['aborted']));
  // The turn reads its own writes before they are committed; no one else sees them yet.
  expect(accounts.userByName('alice')).toMatchObject({ username: 'alice' });
  expect(committedUsers()).toEqual([]);
  createUser('bob', 2);
  commits.afterCommit(record, () => seen.push(['aborted']));
  expect(commits.holding).toBe(true);
  expect(seen).toEqual([]);

  await nextTurn();
  expect(commits.holding).toBe(false);
  expect(seen).toEqual([
    ['alice', 'bob'],
    ['alice', 'bob'],
  ]);
  // With nothing pending, an effect runs at once.
  commits.afterCommit(record, () => {});
  expect(seen).toHaveLength(3);
});

test('the writes of one turn commit as one transaction: each changed page goes to the log once', async () => {
  // Twenty accounts, with group commit and then with each write committed on its own: every
  // commit appends the pages it changed to the write-ahead log, so one commit appends far less.
  const walGrowth = async (delayMs: number) => {
    open(delayMs);
    const before = walBytes();
    for (let n = 0; n < 20; n++) createUser(`user${n}`, n);
    await nextTurn();
    expect(committedUsers()).toHaveLength(20);
    const growth = walBytes() - before;
    observer.close();
    db.close();
    rmSync(dataDir, { recursive: true, force: true });
    dataDir = mkdtempSync(join(tmpdir(), 'parley-group-commit-'));
    return growth;
  };
  const grouped = await walGrowth(0);
  const separate = await walGrowth(GROUP_COMMIT_OFF);
  open(0);
  expect(grouped * 5).toBeLessThan(separate);
});

test('a failed commit runs no held effect, undoes its writes and is logged; the next commits', async () => {
  open(0);
  const effects: string[] = [];
  createUser('alice', 1);
  // A session of a device that does not exist: deferred, the foreign key fails the COMMIT itself.
  db.pragma('defer_foreign_keys = ON');
  sessions.issue('no such device', Date.now());
  commits.afterCommit(
    () => effects.push('told alice'),
    () => effects.push('alice aborted'),
  );
  await nextTurn();
  expect(effects).toEqual(['alice aborted']);
  expect(committedUsers()).toEqual([]);
  expect(accounts.userByName('alice')).toBeUndefined();
  expect(logged).toContainEqual(
    expect.objectContaining({ level: 50, msg: expect.stringContaining('commit failed') }),
  );

  createUser('bob', 2);
  commits.afterCommit(
    () => effects.push('told bob'),
    () => effects.push('bob aborted'),
  );
  await nextTurn();
  expect(effects).toEqual(['alice aborted', 'told bob']);
  expect(committedUsers()).toEqual(['bob']);
});

test('what was read back in a batch whose commit failed is forgotten with it', async () => {
  open(0);
  const bob = createUser('bob', 1)!.user;
  await nextTurn();
  expect(contacts.watchersOf(bob.id)).toEqual([]);

  const alice = createUser('alice', 2)!.user;
  // Presence goes only to people bob has added himself: they add each other.
  expect(contacts.add(bob.id, alice.id, Date.now())).toBe('added');
  expect(contacts.add(alice.id, bob.id, Date.now())).toBe('added');
  // Read back inside the batch: alice exists and watches bob, for now.
  expect(accounts.userByName('alice')).toEqual(alice);
  expect(accounts.userById(alice.id)).toEqual(alice);
  expect(contacts.watchersOf(bob.id)).toEqual([alice.id]);
  db.pragma('defer_foreign_keys = ON');
  sessions.issue('no such device', Date.now());
  await nextTurn();

  expect(committedUsers()).toEqual(['bob']);
  expect(accounts.userByName('alice')).toBeUndefined();
  expect(accounts.userById(alice.id)).toBeUndefined();
  expect(contacts.watchersOf(bob.id)).toEqual([]);
  expect(accounts.userByName('bob')).toEqual(bob);
});

test("a new watcher is among a user's watchers at once, however often they were read before", async () => {
  open(0);
  const [bob, alice, carol] = ['bob', 'alice', 'carol'].map((name, n) => createUser(name, n)!.user);
  // Presence goes only to people bob has added himself.
  contacts.add(bob!.id, alice!.id, Date.now());
  contacts.add(bob!.id, carol!.id, Date.now());
  await nextTurn();
  expect(contacts.watchersOf(bob!.id)).toEqual([]);
  contacts.add(alice!.id, bob!.id, Date.now());
  expect(contacts.watchersOf(bob!.id)).toEqual([alice!.id]);
  expect(contacts.add(alice!.id, bob!.id, Date.now())).toBe('already');
  contacts.add(carol!.id, bob!.id, Date.now());
  expect([...contacts.watchersOf(bob!.id)].sort()).toEqual([alice!.id, carol!.id].sort());
  await nextTurn();
  expect([...contacts.watchersOf(bob!.id)].sort()).toEqual([alice!.id, carol!.id].sort());
});

test('a unit that fails inside the batch undoes only itself', async () => {
  open(0);
  createUser('alice', 1);
  // The username is taken: createUser writes nothing and says so; the batch goes on.
  expect(createUser('alice', 2)).toBeNull();
  expect(() => sessions.issue('no such device', Date.now())).toThrow(/FOREIGN KEY/);
  createUser('bob', 3);
  await nextTurn();
  expect(committedUsers()).toEqual(['alice', 'bob']);
});

test('off: each write commits on its own, and nothing waits', () => {
  open(GROUP_COMMIT_OFF);
  createUser('alice', 1);
  expect(commits.holding).toBe(false);
  expect(committedUsers()).toEqual(['alice']);
  let ran = false;
  commits.afterCommit(
    () => (ran = true),
    () => {},
  );
  expect(ran).toBe(true);
});

describe('a client socket behind the gate', () => {
  let wss: WebSocketServer;
  beforeEach(async () => {
    wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => wss.once('listening', resolve));
  });
  afterEach(() => new Promise((resolve) => wss.close(resolve)));

  /** A connected client and the server's side of it, behind the gate. */
  async function connect() {
    const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`);
    const received: string[] = [];
    client.on('message', (data: Buffer) => received.push(data.toString()));
    const closed = new Promise<number>((resolve) => client.once('close', resolve));
    await new Promise((resolve) => client.once('open', resolve));
    return { gated: new CommitGatedSocket(await accepted, commits), client, received, closed };
  }

  test('hears nothing of a failed commit and is closed with 1011; other sockets go on', async () => {
    open(0);
    const failing = await connect();
    createUser('alice', 1);
    db.pragma('defer_foreign_keys = ON');
    sessions.issue('no such device', Date.now());
    failing.gated.send('alice is registered');
    expect(failing.gated.bufferedAmount).toBeGreaterThan(0);
    expect(await failing.closed).toBe(COMMIT_FAILED_CLOSE_CODE);
    expect(failing.received).toEqual([]);

    const next = await connect();
    createUser('bob', 2);
    next.gated.send('bob is registered');
    next.gated.send('welcome');
    await new Promise((resolve) =>
      next.client.on('message', () => next.received.length === 2 && resolve(null)),
    );
    expect(next.received).toEqual(['bob is registered', 'welcome']);
    expect(committedUsers()).toEqual(['bob']);
    next.client.close();
  });
});
