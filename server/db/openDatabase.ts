import BetterSqlite3, { type Database } from 'better-sqlite3';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrations } from './migrations';

export type { Database };

export const DATABASE_FILE = 'parley.db';

/** Modes of what the server creates: only its own user may read accounts and session hashes. */
export const DATA_DIR_MODE = 0o700;
export const DATABASE_FILE_MODE = 0o600;

/** SQLite's write-ahead log and shared-memory index sit beside the database file. */
const databaseSideFiles = ['-wal', '-shm'];

/**
 * Opens (creating if needed) the server's SQLite file in `dataDir`, in WAL mode with foreign keys
 * on, and applies pending migrations, each in its own transaction. A data folder it creates is
 * 0700; the database file is 0600 whatever the umask (SQLite creates it 0644 & ~umask), set before
 * WAL mode so SQLite gives its -wal and -shm files the same mode; files left by an older server
 * are narrowed too. An existing data folder keeps the mode its operator gave it.
 */
export function openDatabase(dataDir: string): Database {
  const created = mkdirSync(dataDir, { recursive: true, mode: DATA_DIR_MODE });
  if (created !== undefined) chmodSync(dataDir, DATA_DIR_MODE);
  const path = join(dataDir, DATABASE_FILE);
  const db = new BetterSqlite3(path);
  try {
    chmodSync(path, DATABASE_FILE_MODE);
    db.pragma('journal_mode = WAL');
    for (const suffix of databaseSideFiles) {
      if (existsSync(path + suffix)) chmodSync(path + suffix, DATABASE_FILE_MODE);
    }
    // FULL: a commit survives power loss too, not only a killed process.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Database): void {
  const current = schemaVersion(db);
  if (current > migrations.length) {
    throw new Error(
      `database schema version ${current} is newer than this server knows (${migrations.length})`,
    );
  }
  migrations.slice(current).forEach((sql, index) => {
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${current + index + 1}`);
    })();
  });
}
