import { randomBytes } from 'node:crypto';
import type { Database } from './openDatabase';

/** Accounts and their devices. A device is one install, with its Ed25519 identity public key. */
export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
}

export interface DeviceRecord {
  id: string;
  userId: number;
  name: string;
  /** Raw 32-byte Ed25519 public key, standard base64. */
  identityKey: string;
}

export interface NewDevice {
  name: string;
  identityKey: string;
}

interface UserRow {
  id: number;
  username: string;
  display_name: string;
}
interface DeviceRow {
  id: string;
  user_id: number;
  name: string;
  identity_key: string;
}

const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
});
const toDevice = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  identityKey: row.identity_key,
});

/** Server-assigned device ids: 16 random bytes, base64url (matches the protocol's DeviceId). */
function newDeviceId(): string {
  return randomBytes(16).toString('base64url');
}

export class AccountStore {
  constructor(private readonly db: Database) {}

  /** Creates the account with its first device; null when the username is taken. */
  createUser(
    username: string,
    displayName: string,
    device: NewDevice,
    now: number,
  ): { user: UserRecord; device: DeviceRecord } | null {
    return this.db.transaction(() => {
      const inserted = this.db
        .prepare(
          'INSERT INTO users (username, display_name, created_at) VALUES (?, ?, ?) ON CONFLICT(username) DO NOTHING',
        )
        .run(username, displayName, now);
      if (inserted.changes === 0) return null;
      const user = { id: Number(inserted.lastInsertRowid), username, displayName };
      return { user, device: this.addDevice(user.id, device, now) };
    })();
  }

  /**
   * Adds another device to an existing account. Linking devices is a later feature; for now only
   * server-side code (and tests) call this, never a protocol message.
   */
  addDevice(userId: number, device: NewDevice, now: number): DeviceRecord {
    const id = newDeviceId();
    this.db
      .prepare(
        'INSERT INTO devices (id, user_id, name, identity_key, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(id, userId, device.name, device.identityKey, now);
    return { id, userId, name: device.name, identityKey: device.identityKey };
  }

  userById(id: number): UserRecord | undefined {
    const row = this.db
      .prepare('SELECT id, username, display_name FROM users WHERE id = ?')
      .get(id) as UserRow | undefined;
    return row && toUser(row);
  }

  userByName(username: string): UserRecord | undefined {
    const row = this.db
      .prepare('SELECT id, username, display_name FROM users WHERE username = ?')
      .get(username) as UserRow | undefined;
    return row && toUser(row);
  }

  device(id: string): DeviceRecord | undefined {
    const row = this.db
      .prepare('SELECT id, user_id, name, identity_key FROM devices WHERE id = ?')
      .get(id) as DeviceRow | undefined;
    return row && toDevice(row);
  }
}
