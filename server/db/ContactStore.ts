import { toUser, type UserRecord, type UserRow } from './AccountStore';
import type { Database } from './openDatabase';

/** One-way contact lists: a user's contacts are the people whose presence they see. */
export class ContactStore {
  constructor(private readonly db: Database) {}

  add(ownerId: number, contactId: number, now: number): void {
    this.db
      .prepare(
        'INSERT INTO contacts (owner_id, contact_id, added_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .run(ownerId, contactId, now);
  }

  /** The owner's contacts, by username. */
  list(ownerId: number): UserRecord[] {
    const rows = this.db
      .prepare(
        `SELECT u.id, u.username, u.display_name, u.identity_key
         FROM contacts c JOIN users u ON u.id = c.contact_id
         WHERE c.owner_id = ? ORDER BY u.username LIMIT 1000`,
      )
      .all(ownerId) as UserRow[];
    return rows.map(toUser);
  }

  /** Users who have this user as a contact: they are told when its presence changes. */
  watchersOf(userId: number): number[] {
    const rows = this.db
      .prepare('SELECT owner_id FROM contacts WHERE contact_id = ?')
      .all(userId) as { owner_id: number }[];
    return rows.map((r) => r.owner_id);
  }
}
