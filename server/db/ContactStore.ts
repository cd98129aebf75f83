import { toUser, type UserRecord, type UserRow } from './AccountStore';
import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/** Most contacts one account may have, unless the server is told otherwise (`--max-contacts`). */
export const DEFAULT_MAX_CONTACTS = 1000;

/** What `add` did: added the contact, found it already there, or refused it (the list is full). */
export type ContactAddResult = 'added' | 'already' | 'full';

/** One page of a contact list, and where the next one starts (null: this was the last). */
export interface ContactPage {
  contacts: UserRecord[];
  next: string | null;
}

/** Most users whose watchers are kept in memory; past it the longest-kept list makes room. */
const MAX_CACHED_WATCHER_LISTS = 50_000;

/**
 * One-way contact lists: a user's contacts are the people whose presence they see. Each list
 * holds at most `maxContacts`; an account that has more (the cap was lowered) keeps them, listed
 * and told their presence like the others, but can add no more.
 */
export class ContactStore {
  /**
   * `watchersOf` as last read, by user: every presence change reads it. A user's list is dropped
   * when someone adds them, and every list when a failed commit undoes writes.
   */
  private readonly watchers = new Map<number, number[]>();
  private readonly selectContact: Statement;
  private readonly countContacts: Statement;
  private readonly insert: Statement;
  private readonly selectPage: Statement;
  private readonly selectWatchers: Statement;
  /** The check against the cap and the insert, as one unit (a savepoint inside a batch). */
  private readonly addUnit: (ownerId: number, contactId: number, now: number) => ContactAddResult;

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
    this.selectPage = db.prepare(
      `SELECT u.id, u.username, u.display_name, u.identity_key
       FROM contacts c JOIN users u ON u.id = c.contact_id
       WHERE c.owner_id = ? AND u.username > ? ORDER BY u.username LIMIT ?`,
    );
    this.selectWatchers = db.prepare('SELECT owner_id FROM contacts WHERE contact_id = ?');
    this.addUnit = db.transaction((ownerId: number, contactId: number, now: number) => {
      if (this.selectContact.get(ownerId, contactId)) return 'already';
      const { count } = this.countContacts.get(ownerId) as { count: number };
      if (count >= this.maxContacts) return 'full';
      this.insert.run(ownerId, contactId, now);
      this.watchers.delete(contactId);
      return 'added';
    });
  }

  add(ownerId: number, contactId: number, now: number): ContactAddResult {
    // Every call setup adds the callee to the caller's list: mostly there already, then no write.
    if (this.selectContact.get(ownerId, contactId)) return 'already';
    return this.writes.write(() => this.addUnit(ownerId, contactId, now));
  }

  /** The owner's contacts by username, those after `after`, at most `limit` of them. */
  page(ownerId: number, after: string | undefined, limit: number): ContactPage {
    const rows = this.selectPage.all(ownerId, after ?? '', limit + 1) as UserRow[];
    const contacts = rows.slice(0, limit).map(toUser);
    const last = contacts.at(-1);
    return { contacts, next: rows.length > limit && last ? last.username : null };
  }

  /**
   * Users who have this user as a contact: they are told when its presence changes. These are
   * the same rows their contact lists show.
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
}
