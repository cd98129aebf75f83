import BetterSqlite3 from 'better-sqlite3';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../../../server/db/AccountStore';
import { migrations } from '../../../server/db/migrations';
import { DATABASE_FILE, openDatabase, schemaVersion } from '../../../server/db/openDatabase';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'parley-db-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test('a new database gets every migration, in WAL mode with foreign keys on', () => {
  const db = openDatabase(join(dataDir, 'nested'));
  expect(schemaVersion(db)).toBe(migrations.length);
  expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
  expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  db.close();
});

/** Permission bits of a path, as `ls -l` shows them. */
function modeOf(path: string): number {
  return statSync(path).mode & 0o777;
}

describe('file modes, under the common umask 022', () => {
  let savedUmask: number;
  beforeEach(() => {
    savedUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(savedUmask);
  });

  test('a new data folder is 0700 and the database with its WAL files 0600', () => {
    const folder = join(dataDir, 'nested', 'data');
    const db = openDatabase(folder);
    new AccountStore(db).createUser('alice', 'Alice', { name: 'laptop', identityKey: 'k' }, 1);
    expect(modeOf(folder)).toBe(0o700);
    for (const file of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) {
      expect([file, modeOf(join(folder, file))]).toEqual([file, 0o600]);
    }
    db.close();
  });

  test('database files an older server left readable to all are narrowed to 0600', () => {
    const folder = join(dataDir, 'old');
    openDatabase(folder).close();
    const path = join(folder, DATABASE_FILE);
    chmodSync(path, 0o644);
    writeFileSync(`${path}-wal`, '', { mode: 0o644 });
    const db = openDatabase(folder);
    expect(modeOf(path)).toBe(0o600);
    expect(modeOf(`${path}-wal`)).toBe(0o600);
    db.close();
  });

  test('an existing data folder keeps the mode its operator chose', () => {
    const folder = join(dataDir, 'shared');
    mkdirSync(folder, { mode: 0o750 });
    openDatabase(folder).close();
    expect(modeOf(folder)).toBe(0o750);
    expect(modeOf(join(folder, DATABASE_FILE))).toBe(0o600);
  });
});

test('reopening keeps the data and applies nothing twice', () => {
  const first = openDatabase(dataDir);
  new AccountStore(first).createUser('alice', 'Alice', { name: 'laptop', identityKey: 'k' }, 1);
  first.close();
  const second = openDatabase(dataDir);
  expect(schemaVersion(second)).toBe(migrations.length);
  expect(new AccountStore(second).userByName('alice')).toMatchObject({ displayName: 'Alice' });
  second.close();
});

test('a database from a newer server is refused rather than misread', () => {
  const db = openDatabase(dataDir);
  db.pragma(`user_version = ${migrations.length + 1}`);
  db.close();
  expect(() => openDatabase(dataDir)).toThrow(/newer/);
});

test('a database from before identity chains gets each device its own chain and the first key as root', () => {
  const [first, second] = [1, 2].map((b) => Buffer.alloc(32, b).toString('base64'));
  const old = new BetterSqlite3(join(dataDir, DATABASE_FILE));
  old.exec(migrations[0]!);
  old.pragma('user_version = 1');
  old
    .prepare(
      "INSERT INTO users (id, username, display_name, created_at) VALUES (1, 'alice', 'Alice', 1)",
    )
    .run();
  const addDevice = old.prepare(
    'INSERT INTO devices (id, user_id, name, identity_key, created_at) VALUES (?, 1, ?, ?, ?)',
  );
  addDevice.run('device-two', 'phone', second, 20);
  addDevice.run('device-one', 'laptop', first, 10);
  old.close();

  const db = openDatabase(dataDir);
  const accounts = new AccountStore(db);
  expect(accounts.userByName('alice')).toMatchObject({ identityKey: first });
  expect(accounts.devicesOf(1)).toMatchObject([
    { id: 'device-one', identityChain: [{ identityKey: first, signature: null }], createdAt: 10 },
    { id: 'device-two', identityChain: [{ identityKey: second, signature: null }], createdAt: 20 },
  ]);
  db.close();
});
