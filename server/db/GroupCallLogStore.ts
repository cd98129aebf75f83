import type { Statement } from 'better-sqlite3';
import type { CallMedia } from '../../protocol';
import type { CallLogView } from './CallLogStore';
import { separateWrites, type Writes } from './GroupCommit';
import {
  groupCallLogView,
  type GroupCallRow,
  type InvitationOutcome,
  type InvitationRow,
  type ParticipantRow,
} from './groupCallLogView';
import type { Database } from './openDatabase';

/**
 * What the call log keeps of calls with more than two people: a call made with `room.create` (it
 * has no callee, so it is not a `call_log` row) and, for every such call and every 1:1 call that
 * grew, each member device in its slot with when it joined and left, and every invitation with
 * how it ended. Written as things happen, in the turn's group commit, so nobody is told of a
 * member or an invitation before its row is on disk. Lists these calls as each user's log shows
 * them, to connections that negotiated `rooms`.
 */

/**
 * The group calls a user's log shows: calls made with `room.create`, and 1:1 calls that grew,
 * that the user was in or rung into and did not remove. A grown call is a group entry for its two
 * parties once a third person joined (before that it stays their 1:1 entry); `narrow` gives a
 * condition on the call (by its table's alias) added to both halves.
 */
function shownGroupCalls(narrow: (alias: string) => string = () => ''): string {
  return `
    WITH mine(call_id) AS (
      SELECT call_id FROM call_participants WHERE user_id = @user
      UNION SELECT call_id FROM call_invitations WHERE user_id = @user)
    SELECT * FROM (
      SELECT g.call_id AS callId, g.creator_id AS creatorId, g.media, g.started_at AS startedAt,
             g.ended_at AS endedAt
      FROM group_calls g JOIN mine m ON m.call_id = g.call_id
      WHERE g.ended_at IS NOT NULL ${narrow('g')}
        AND NOT EXISTS (SELECT 1 FROM call_log_removed r
                        WHERE r.user_id = @user AND r.call_id = g.call_id)
      UNION ALL
      SELECT l.call_id, l.caller_id, l.media, l.started_at, l.ended_at
      FROM call_log l JOIN mine m ON m.call_id = l.call_id
      WHERE l.ended_at IS NOT NULL ${narrow('l')}
        AND NOT EXISTS (SELECT 1 FROM call_log_removed r
                        WHERE r.user_id = @user AND r.call_id = l.call_id)
        AND NOT (l.caller_id = @user AND l.caller_removed = 1)
        AND NOT (l.callee_id = @user AND l.callee_removed = 1)
        AND (@user NOT IN (l.caller_id, l.callee_id)
             OR (SELECT COUNT(*) FROM call_participants p WHERE p.call_id = l.call_id) >= 3))`;
}

export interface GroupCallStart {
  callId: string;
  creatorId: number;
  media: CallMedia;
  startedAt: number;
}

export interface Participant {
  slot: number;
  userId: number;
  deviceId: string;
  joinedAt: number;
  leftAt: number | null;
}

export class GroupCallLogStore {
  private readonly insertCall: Statement;
  private readonly updateEnded: Statement;
  private readonly insertParticipant: Statement;
  private readonly updateLeft: Statement;
  private readonly selectParticipants: Statement;
  private readonly closeInterruptedCalls: Statement;
  private readonly closeInterruptedParticipants: Statement;
  private readonly closeInterruptedInvitations: Statement;
  private readonly insertInvitation: Statement;
  private readonly updateInvitation: Statement;
  private readonly selectShown: Statement;
  private readonly selectShownOne: Statement;
  private readonly selectParticipantRows: Statement;
  private readonly selectInvitationRows: Statement;
  private readonly insertRemoved: Statement;
  private readonly insertRemovedAll: Statement;

  constructor(
    db: Database,
    private readonly writes: Writes = separateWrites,
  ) {
    this.insertCall = db.prepare(
      'INSERT INTO group_calls (call_id, creator_id, media, started_at) VALUES (?, ?, ?, ?)',
    );
    this.updateEnded = db.prepare(
      'UPDATE group_calls SET ended_at = ? WHERE call_id = ? AND ended_at IS NULL',
    );
    // A 1:1 call that grew, taken back in as 1:1 after a stop (its third person only rang) and
    // growing again: its two parties' rows are theirs from the first time, so they are in again.
    this.insertParticipant = db.prepare(
      `INSERT INTO call_participants (call_id, slot, user_id, device_id, joined_at)
       VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (call_id, slot) DO UPDATE SET left_at = NULL
       WHERE user_id = excluded.user_id AND device_id = excluded.device_id`,
    );
    this.updateLeft = db.prepare(
      `UPDATE call_participants SET left_at = ?
       WHERE call_id = ? AND slot = ? AND left_at IS NULL`,
    );
    this.selectParticipants = db.prepare(
      `SELECT slot, user_id AS userId, device_id AS deviceId, joined_at AS joinedAt,
              left_at AS leftAt
       FROM call_participants WHERE call_id = ? ORDER BY slot`,
    );
    // Group calls are not taken back in after a stop: their media went with the stopped server.
    // The moment of the stop is unknown, so they end (and their members leave) at the start-up.
    this.closeInterruptedCalls = db.prepare(
      'UPDATE group_calls SET ended_at = MAX(@at, started_at) WHERE ended_at IS NULL',
    );
    this.closeInterruptedParticipants = db.prepare(
      'UPDATE call_participants SET left_at = MAX(@at, joined_at) WHERE left_at IS NULL',
    );
    // Nothing rings after a stop: an invitation that rang then went unanswered.
    this.closeInterruptedInvitations = db.prepare(
      `UPDATE call_invitations SET state = 'timeout', closed_at = MAX(@at, invited_at)
       WHERE state IS NULL`,
    );
    this.insertInvitation = db.prepare(
      `INSERT INTO call_invitations (call_id, user_id, invited_by, invited_at)
       VALUES (?, ?, ?, ?)`,
    );
    this.updateInvitation = db.prepare(
      'UPDATE call_invitations SET state = ?, closed_at = ? WHERE rowid = ? AND state IS NULL',
    );
    this.selectShown = db.prepare(
      `${shownGroupCalls()} ORDER BY startedAt DESC, callId LIMIT @limit`,
    );
    this.selectShownOne = db.prepare(shownGroupCalls((alias) => `AND ${alias}.call_id = @callId`));
    this.selectParticipantRows = db.prepare(
      `SELECT p.user_id AS userId, u.username, u.display_name AS displayName,
              p.joined_at AS joinedAt, p.left_at AS leftAt
       FROM call_participants p JOIN users u ON u.id = p.user_id
       WHERE p.call_id = ? ORDER BY p.joined_at, p.slot`,
    );
    this.selectInvitationRows = db.prepare(
      `SELECT i.user_id AS userId, u.username, u.display_name AS displayName,
              i.invited_by AS invitedBy, i.invited_at AS invitedAt, i.state, i.closed_at AS closedAt
       FROM call_invitations i JOIN users u ON u.id = i.user_id
       WHERE i.call_id = ? ORDER BY i.invited_at, i.rowid`,
    );
    this.insertRemoved = db.prepare(
      'INSERT OR IGNORE INTO call_log_removed (user_id, call_id) VALUES (@user, @callId)',
    );
    this.insertRemovedAll = db.prepare(
      `INSERT OR IGNORE INTO call_log_removed (user_id, call_id)
       SELECT @user, callId FROM (${shownGroupCalls()})`,
    );
  }

  /** A call made with `room.create`: its creator is its first participant, in slot 0. */
  start(call: GroupCallStart, creatorDeviceId: string): void {
    this.writes.write(() => {
      this.insertCall.run(call.callId, call.creatorId, call.media, call.startedAt);
      this.insertParticipant.run(call.callId, 0, call.creatorId, creatorDeviceId, call.startedAt);
    });
  }

  joined(callId: string, participant: Omit<Participant, 'leftAt'>): void {
    const { slot, userId, deviceId, joinedAt } = participant;
    this.writes.write(() => this.insertParticipant.run(callId, slot, userId, deviceId, joinedAt));
  }

  left(callId: string, slot: number, at: number): void {
    this.writes.write(() => this.updateLeft.run(at, callId, slot));
  }

  /** A call made with `room.create` is over (its members' leaving is written as they leave). */
  ended(callId: string, at: number): void {
    this.writes.write(() => this.updateEnded.run(at, callId));
  }

  /** A member rang `userId` into the call; the row's id names the invitation from now on. */
  invited(callId: string, invitation: { userId: number; invitedBy: number; at: number }): number {
    const { userId, invitedBy, at } = invitation;
    return Number(
      this.writes.write(
        () => this.insertInvitation.run(callId, userId, invitedBy, at).lastInsertRowid,
      ),
    );
  }

  /** The invitation ended: a device joined, or it closed unanswered. */
  invitationEnded(id: number, state: Exclude<InvitationOutcome, null>, at: number): void {
    this.writes.write(() => this.updateInvitation.run(state, at, id));
  }

  /** The group calls of this user's log (see `shownGroupCalls`), newest first. */
  listFor(userId: number, limit: number): CallLogView[] {
    const calls = this.selectShown.all({ user: userId, limit }) as GroupCallRow[];
    return calls.flatMap((call) => this.viewOf(userId, call) ?? []);
  }

  /**
   * Removes a group call from this user's log only. False when their log shows no such group
   * call. (A grown call's two parties remove it with CallLogStore.remove, as any 1:1 call.)
   */
  remove(userId: number, callId: string): boolean {
    return this.writes.write(() => {
      const shown = this.selectShownOne.get({ user: userId, callId }) as GroupCallRow | undefined;
      if (!shown || !this.viewOf(userId, shown)) return false;
      return this.insertRemoved.run({ user: userId, callId }).changes > 0;
    });
  }

  /** Removes every group call of this user's log (calls that have ended). */
  clear(userId: number): void {
    this.writes.write(() => this.insertRemovedAll.run({ user: userId }));
  }

  private viewOf(userId: number, call: GroupCallRow): CallLogView | null {
    const participants = this.selectParticipantRows.all(call.callId) as ParticipantRow[];
    const invitations = this.selectInvitationRows.all(call.callId) as InvitationRow[];
    return groupCallLogView(userId, call, participants, invitations);
  }

  participants(callId: string): Participant[] {
    return this.selectParticipants.all(callId) as Participant[];
  }

  /** At start-up (`at`): group calls the last run left open end, as does every membership. */
  closeInterrupted(at: number): number {
    return this.writes.write(() => {
      this.closeInterruptedInvitations.run({ at });
      this.closeInterruptedParticipants.run({ at });
      return this.closeInterruptedCalls.run({ at }).changes;
    });
  }
}
