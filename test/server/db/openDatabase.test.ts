import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountStore } from '../../../server/db/AccountStore';
import { migrations } from '../../../server/db/migrations';
import { openDatabase, schemaVersion } from '../../../server/db/openDatabase';

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
