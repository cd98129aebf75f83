import { MAX_BLOCKED_USERS } from '../../protocol';
import { toUser, type UserRecord, type UserRow } from './AccountStore';
import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/** Most contacts one account may have, unless the server is told otherwise (`--max-contacts`). */
export const DEFAULT_MAX_CONTACTS = 1000;

/** What `add` did: added the contact, found it already there, or refused it (the list is full). */
export type ContactAddResult = 'added' | 'already' | 'full';
/** What `block` did: blocked the user, found them blocked already, or refused (the list is full). */
export type BlockResult = 'blocked' | 'already' | 'full';

/** One page of a contact list, and where the next one starts (null: this was the last). */
export interface ContactPage {
  contacts: UserRecord[];
  next: string | null;
}

/** Most users whose watchers are kept in memory; past it the longest-kept list makes room. */
const MAX_CACHED_WATCHER_LISTS = 50_000;

/**
 * One-way contact lists and block lists. A user's contacts are the people they call and list;
 * a user's presence goes only to those of their own contacts who have them as a contact too and
 * whom they have not blocked. Each contact list holds at most `maxContacts`; an account that has
 * more (the cap was lowered) keeps them, listed like the others, but can add no more.
 */
export class ContactStore {
  /**
   * `watchersOf` as last read, by user: every presence change reads it. Both users' lists are
   * dropped when a contact between them is added or removed, the blocker's when a block changes,
   * and every list when a failed commit undoes writes.
   */
  private readonly watchers = new Map<number, number[]>();
  private readonly selectContact: Statement;
  private readonly countContacts: Statement;
  private readonly insert: Statement;
  private readonly deleteContact: Statement;
  private readonly selectPage: Statement;
  private readonly selectWatchers: Statement;
  private readonly selectOwners: Statement;
  private readonly selectBlock: Statement;
  private readonly countBlocks: Statement;
  private readonly insertBlock: Statement;
  private readonly deleteBlock: Statement;
  private readonly selectBlocked: Statement;
  /** The check against the cap and the insert, as one unit (a savepoint inside a batch). */
  private readonly addUnit: (ownerId: number, contactId: number, now: number) => ContactAddResult;
  private readonly blockUnit: (ownerId: number, blockedId: number, now: number) => BlockResult;

  constructor(
    db: Database,
    readonly maxContacts = DEFAULT_MAX_CONTACTS,
    private readonly writes: Writes = separateWrites,
  ) {
    writes.onRollback(() => this.watchers.clear());
    this.selectContact = db.prepare('SELECT 1 FROM contacts WHERE owner_id = ? AND contact_id = ?');
    this.countContacts = db.prepare('SELECT COUNT(*) AS count FROM contacts WHERE owner_id = ?');
    this.insert = db.prepare(
      'INSERT INTO contacts (owner_id, contact_id, added_at) VALUES (?, ?, ?)',
    );
    this.deleteContact = db.prepare('DELETE FROM contacts WHERE owner_id = ? AND contact_id = ?');
    this.selectPage = db.prepare(
      `SELECT u.id, u.username, u.display_name, u.identity_key
       FROM contacts c JOIN users u ON u.id = c.contact_id
       WHERE c.owner_id = ? AND u.username > ? ORDER BY u.username LIMIT ?`,
    );
    // Those who have the user as a contact, whom the user has as a contact and has not blocked.
    this.selectWatchers = db.prepare(
      `SELECT c.owner_id FROM contacts c
       JOIN contacts back ON back.owner_id = c.contact_id AND back.contact_id = c.owner_id
       WHERE c.contact_id = ? AND NOT EXISTS (
         SELECT 1 FROM blocks b WHERE b.owner_id = c.contact_id AND b.blocked_id = c.owner_id)`,
    );
    this.selectOwners = db.prepare('SELECT owner_id FROM contacts WHERE contact_id = ?');
    this.selectBlock = db.prepare('SELECT 1 FROM blocks WHERE owner_id = ? AND blocked_id = ?');
    this.countBlocks = db.prepare('SELECT COUNT(*) AS count FROM blocks WHERE owner_id = ?');
    this.insertBlock = db.prepare(
      'INSERT INTO blocks (owner_id, blocked_id, blocked_at) VALUES (?, ?, ?)',
    );
    this.deleteBlock = db.prepare('DELETE FROM blocks WHERE owner_id = ? AND blocked_id = ?');
    this.selectBlocked = db.prepare(
      `SELECT u.username FROM blocks b JOIN users u ON u.id = b.blocked_id
       WHERE b.owner_id = ? ORDER BY u.username`,
    );
    this.addUnit = db.transaction((ownerId: number, contactId: number, now: number) => {
      if (this.selectContact.get(ownerId, contactId)) return 'already';
      const { count } = this.countContacts.get(ownerId) as { count: number };
      if (count >= this.maxContacts) return 'full';
      this.insert.run(ownerId, contactId, now);
      this.forgetWatchers(ownerId, contactId);
      return 'added';
    });
    this.blockUnit = db.transaction((ownerId: number, blockedId: number, now: number) => {
      if (this.selectBlock.get(ownerId, blockedId)) return 'already';
      const { count } = this.countBlocks.get(ownerId) as { count: number };
      if (count >= MAX_BLOCKED_USERS) return 'full';
      this.insertBlock.run(ownerId, blockedId, now);
      this.forgetWatchers(ownerId);
      return 'blocked';
    });
  }

  add(ownerId: number, contactId: number, now: number): ContactAddResult {
    // Every call setup adds the callee to the caller's list: mostly there already, then no write.
    if (this.selectContact.get(ownerId, contactId)) return 'already';
    return this.writes.write(() => this.addUnit(ownerId, contactId, now));
  }

  /** Takes the contact off the owner's list; false when it was not on it. */
  remove(ownerId: number, contactId: number): boolean {
    if (!this.selectContact.get(ownerId, contactId)) return false;
    this.writes.write(() => this.deleteContact.run(ownerId, contactId));
    this.forgetWatchers(ownerId, contactId);
    return true;
  }

  has(ownerId: number, contactId: number): boolean {
    return this.selectContact.get(ownerId, contactId) !== undefined;
  }

  /** The owner's contacts by username, those after `after`, at most `limit` of them. */
  page(ownerId: number, after: string | undefined, limit: number): ContactPage {
    const rows = this.selectPage.all(ownerId, after ?? '', limit + 1) as UserRow[];
    const contacts = rows.slice(0, limit).map(toUser);
    const last = contacts.at(-1);
    return { contacts, next: rows.length > limit && last ? last.username : null };
  }

  /**
   * Users told when this user's presence changes: those who have them as a contact, whom they
   * have added back themselves and have not blocked.
   */
  watchersOf(userId: number): readonly number[] {
    const cached = this.watchers.get(userId);
    if (cached) return cached;
    const rows = this.selectWatchers.all(userId) as { owner_id: number }[];
    const watchers = rows.map((r) => r.owner_id);
    if (this.watchers.size >= MAX_CACHED_WATCHER_LISTS) {
      this.watchers.delete(this.watchers.keys().next().value!);
    }
    this.watchers.set(userId, watchers);
    return watchers;
  }

  /** Everyone who has this user as a contact, whatever the user shares with them. */
  ownersOf(userId: number): number[] {
    return (this.selectOwners.all(userId) as { owner_id: number }[]).map((r) => r.owner_id);
  }

  /** Whether `viewerId` may see `userId`'s presence (is one of its watchers). */
  seesPresenceOf(viewerId: number, userId: number): boolean {
    return this.watchersOf(userId).includes(viewerId);
  }

  block(ownerId: number, blockedId: number, now: number): BlockResult {
    if (this.selectBlock.get(ownerId, blockedId)) return 'already';
    return this.writes.write(() => this.blockUnit(ownerId, blockedId, now));
  }

  /** Lifts a block; false when the user was not blocked. */
  unblock(ownerId: number, blockedId: number): boolean {
    if (!this.selectBlock.get(ownerId, blockedId)) return false;
    this.writes.write(() => this.deleteBlock.run(ownerId, blockedId));
    this.forgetWatchers(ownerId);
    return true;
  }

  isBlocked(ownerId: number, blockedId: number): boolean {
    return this.selectBlock.get(ownerId, blockedId) !== undefined;
  }

  /** The usernames the owner has blocked, in username order. */
  blockedBy(ownerId: number): string[] {
    return (this.selectBlocked.all(ownerId) as { username: string }[]).map((r) => r.username);
  }

  private forgetWatchers(...userIds: number[]): void {
    for (const userId of userIds) this.watchers.delete(userId);
  }
}
