import { randomBytes } from 'node:crypto';
import { IdentityChain } from '../../protocol';
import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/**
 * Accounts and their devices. A device is one install, with its Ed25519 identity public key and
 * its identity chain: the certificates that link its key to the account's root key.
 */
export interface UserRecord {
  id: number;
  username: string;
  displayName: string;
  /** The account's root identity key: the first device's key, chain[0] of every device. */
  identityKey: string;
}

export interface DeviceRecord {
  id: string;
  userId: number;
  name: string;
  /** Raw 32-byte Ed25519 public key, standard base64. */
  identityKey: string;
  identityChain: IdentityChain;
  createdAt: number;
}

export interface NewDevice {
  name: string;
  identityKey: string;
}

/** A device certified by another device of the account: its chain ends with its own key. */
export interface LinkedDevice {
  name: string;
  identityChain: IdentityChain;
}

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  identity_key: string;
}
interface DeviceRow {
  id: string;
  user_id: number;
  name: string;
  identity_key: string;
  identity_chain: string;
  created_at: number;
}

const USER_COLUMNS = 'id, username, display_name, identity_key';
const DEVICE_COLUMNS = 'id, user_id, name, identity_key, identity_chain, created_at';

export const toUser = (row: UserRow): UserRecord => ({
  id: row.id,
  username: row.username,
  displayName: row.display_name,
  identityKey: row.identity_key,
});
const toDevice = (row: DeviceRow): DeviceRecord => ({
  id: row.id,
  userId: row.user_id,
  name: row.name,
  identityKey: row.identity_key,
  identityChain: IdentityChain.parse(JSON.parse(row.identity_chain)),
  createdAt: row.created_at,
});

/** Server-assigned device ids: 16 random bytes, base64url (matches the protocol's DeviceId). */
function newDeviceId(): string {
  return randomBytes(16).toString('base64url');
}

/** Most accounts kept in memory; past it the longest-kept one makes room. */
const MAX_CACHED_USERS = 50_000;

export class AccountStore {
  /**
   * Accounts read before (they never change once created), by id and by username: every call
   * setup and presence change looks accounts up. Forgotten when a failed commit undoes writes.
   */
  private readonly usersById = new Map<number, UserRecord>();
  private readonly userIdsByName = new Map<string, number>();
  private readonly insertUser: Statement;
  private readonly insertDeviceRow: Statement;
  private readonly deleteDevice: Statement;
  private readonly updateDisplayName: Statement;
  private readonly selectUserById: Statement;
  private readonly selectUserByName: Statement;
  private readonly selectDevice: Statement;
  private readonly selectDevicesOf: Statement;
  private readonly selectIdentityKey: Statement;
  /** The account row and its first device, all or nothing (a savepoint inside a batch). */
  private readonly createUserUnit: (
    username: string,
    displayName: string,
    device: NewDevice,
    now: number,
  ) => { user: UserRecord; device: DeviceRecord } | null;

  constructor(
    db: Database,
    private readonly writes: Writes = separateWrites,
  ) {
    writes.onRollback(() => {
      this.usersById.clear();
      this.userIdsByName.clear();
    });
    this.insertUser = db.prepare(
      `INSERT INTO users (username, display_name, identity_key, created_at) VALUES (?, ?, ?, ?)
       ON CONFLICT(username) DO NOTHING`,
    );
    this.insertDeviceRow = db.prepare(
      `INSERT INTO devices (id, user_id, name, identity_key, identity_chain, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.deleteDevice = db.prepare('DELETE FROM devices WHERE id = ?');
    this.updateDisplayName = db.prepare('UPDATE users SET display_name = ? WHERE id = ?');
    this.selectUserById = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`);
    this.selectUserByName = db.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE username = ?`);
    this.selectDevice = db.prepare(`SELECT ${DEVICE_COLUMNS} FROM devices WHERE id = ?`);
    this.selectDevicesOf = db.prepare(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE user_id = ? ORDER BY created_at, rowid LIMIT 64`,
    );
    this.selectIdentityKey = db.prepare('SELECT 1 FROM devices WHERE identity_key = ?');
    this.createUserUnit = db.transaction((username, displayName, device, now) => {
      const inserted = this.insertUser.run(username, displayName, device.identityKey, now);
      if (inserted.changes === 0) return null;
      const user: UserRecord = {
        id: Number(inserted.lastInsertRowid),
        username,
        displayName,
        identityKey: device.identityKey,
      };
      const chain: IdentityChain = [{ identityKey: device.identityKey, signature: null }];
      return {
        user,
        device: this.insertDevice(user.id, { name: device.name, identityChain: chain }, now),
      };
    });
  }

  /** Creates the account with its first device, the root of its identity; null when taken. */
  createUser(
    username: string,
    displayName: string,
    device: NewDevice,
    now: number,
  ): { user: UserRecord; device: DeviceRecord } | null {
    return this.writes.write(() => this.createUserUnit(username, displayName, device, now));
  }

  /** Adds a device that another device of the account certified (the caller checked it). */
  linkDevice(userId: number, device: LinkedDevice, now: number): DeviceRecord {
    return this.writes.write(() => this.insertDevice(userId, device, now));
  }

  /** Deletes the device; its sessions go with it (foreign key cascade). False when unknown. */
  removeDevice(id: string): boolean {
    return this.writes.write(() => this.deleteDevice.run(id).changes > 0);
  }

  /** Renames the account; its cached record is replaced (a failed commit clears the cache). */
  setDisplayName(userId: number, displayName: string): void {
    this.writes.write(() => this.updateDisplayName.run(displayName, userId));
    const cached = this.usersById.get(userId);
    if (cached) this.usersById.set(userId, { ...cached, displayName });
  }

  userById(id: number): UserRecord | undefined {
    const cached = this.usersById.get(id);
    if (cached) return cached;
    const row = this.selectUserById.get(id) as UserRow | undefined;
    return row && this.remember(toUser(row));
  }

  userByName(username: string): UserRecord | undefined {
    const id = this.userIdsByName.get(username);
    if (id !== undefined) return this.usersById.get(id);
    const row = this.selectUserByName.get(username) as UserRow | undefined;
    return row && this.remember(toUser(row));
  }

  private remember(user: UserRecord): UserRecord {
    if (this.usersById.size >= MAX_CACHED_USERS) {
      const oldest = this.usersById.values().next().value!;
      this.usersById.delete(oldest.id);
      this.userIdsByName.delete(oldest.username);
    }
    this.usersById.set(user.id, user);
    this.userIdsByName.set(user.username, user.id);
    return user;
  }

  device(id: string): DeviceRecord | undefined {
    const row = this.selectDevice.get(id) as DeviceRow | undefined;
    return row && toDevice(row);
  }

  /** The account's devices, oldest first. */
  devicesOf(userId: number): DeviceRecord[] {
    return (this.selectDevicesOf.all(userId) as DeviceRow[]).map(toDevice);
  }

  /** True when some device (of any account) already has this identity key. */
  isIdentityKeyRegistered(identityKey: string): boolean {
    return this.selectIdentityKey.get(identityKey) !== undefined;
  }

  private insertDevice(userId: number, device: LinkedDevice, now: number): DeviceRecord {
    const id = newDeviceId();
    const identityKey = device.identityChain[device.identityChain.length - 1]!.identityKey;
    this.insertDeviceRow.run(
      id,
      userId,
      device.name,
      identityKey,
      JSON.stringify(device.identityChain),
      now,
    );
    return {
      id,
      userId,
      name: device.name,
      identityKey,
      identityChain: device.identityChain,
      createdAt: now,
    };
  }
}
