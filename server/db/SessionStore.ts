import { createHash, randomBytes } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/**
 * Login sessions. A session is named by a random 32-byte id; the database keeps only its SHA-256
 * (the `token_hash` column), so a copy of the database does not even name a session. The id is
 * not a credential on its own: resuming takes the device's signature too.
 */
export interface IssuedSession {
  sessionId: string;
  expiresAt: number;
}

export interface ValidSession {
  deviceId: string;
  expiresAt: number;
}

function hashSessionId(sessionId: string): Buffer {
  return createHash('sha256').update(Buffer.from(sessionId, 'base64')).digest();
}

export class SessionStore {
  private readonly insert: Statement;
  private readonly select: Statement;
  private readonly revoke: Statement;

  constructor(
    db: Database,
    private readonly ttlMs: number,
    private readonly writes: Writes = separateWrites,
  ) {
    this.insert = db.prepare(
      'INSERT INTO sessions (token_hash, device_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
    );
    this.select = db.prepare(
      'SELECT device_id, expires_at FROM sessions WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?',
    );
    this.revoke = db.prepare(
      'UPDATE sessions SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL',
    );
  }

  issue(deviceId: string, now: number): IssuedSession {
    const sessionId = randomBytes(32).toString('base64');
    const expiresAt = now + this.ttlMs;
    this.writes.write(() => this.insert.run(hashSessionId(sessionId), deviceId, now, expiresAt));
    return { sessionId, expiresAt };
  }

  /** The session with this id if it exists, has not expired and was not revoked. */
  find(sessionId: string, now: number): ValidSession | undefined {
    const row = this.select.get(hashSessionId(sessionId), now) as
      | { device_id: string; expires_at: number }
      | undefined;
    return row && { deviceId: row.device_id, expiresAt: row.expires_at };
  }

  /** Revokes every session of the device still in force (signing out ends them all). */
  revokeDevice(deviceId: string, now: number): void {
    this.writes.write(() => this.revoke.run(now, deviceId));
  }
}
