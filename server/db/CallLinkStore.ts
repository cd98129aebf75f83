import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/**
 * Call links (docs/protocol.md, "Call links"): each token with its call, whether a knock needs the
 * creator's yes, and when it was revoked. A call has at most one link that works: making a new one
 * revokes the others. Revoked links stay, so that they are answered as revoked, not unknown.
 */
export interface CallLink {
  token: string;
  callId: string;
  approval: boolean;
  revokedAt: number | null;
}

export class CallLinkStore {
  private readonly insert: Statement;
  private readonly revokeOfCall: Statement;
  private readonly select: Statement;
  private readonly selectWorking: Statement;
  /** The revocation and the new link as one unit (a savepoint inside a batch). */
  private readonly createUnit: (
    token: string,
    callId: string,
    approval: number,
    now: number,
  ) => void;

  constructor(
    db: Database,
    private readonly writes: Writes = separateWrites,
  ) {
    this.insert = db.prepare(
      'INSERT INTO call_links (token, call_id, approval, created_at) VALUES (?, ?, ?, ?)',
    );
    this.revokeOfCall = db.prepare(
      'UPDATE call_links SET revoked_at = ? WHERE call_id = ? AND revoked_at IS NULL',
    );
    this.select = db.prepare(
      `SELECT token, call_id AS callId, approval, revoked_at AS revokedAt
       FROM call_links WHERE token = ?`,
    );
    this.selectWorking = db.prepare(
      `SELECT token, call_id AS callId, approval, revoked_at AS revokedAt
       FROM call_links WHERE call_id = ? AND revoked_at IS NULL`,
    );
    this.createUnit = db.transaction(
      (token: string, callId: string, approval: number, now: number) => {
        this.revokeOfCall.run(now, callId);
        this.insert.run(token, callId, approval, now);
      },
    );
  }

  /** The call's new link, the ones before it revoked, in one unit of writes. */
  create(link: { token: string; callId: string; approval: boolean }, now: number): void {
    this.writes.write(() => this.createUnit(link.token, link.callId, link.approval ? 1 : 0, now));
  }

  /** Every link of the call stops working. */
  revoke(callId: string, now: number): void {
    this.writes.write(() => this.revokeOfCall.run(now, callId));
  }

  find(token: string): CallLink | undefined {
    return linkOf(this.select.get(token));
  }

  /** The call's link that works (one at most), if it has one. */
  workingOf(callId: string): CallLink | undefined {
    return linkOf(this.selectWorking.get(callId));
  }
}

function linkOf(row: unknown): CallLink | undefined {
  const link = row as
    | { token: string; callId: string; approval: number; revokedAt: number | null }
    | undefined;
  return link && { ...link, approval: link.approval === 1 };
}
