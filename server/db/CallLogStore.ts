import type { CallMedia, CallOutcome, GroupCallLog } from '../../protocol';
import type { Statement } from 'better-sqlite3';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/**
 * The call log: one row per call, written when the call starts, when it is answered (with the
 * answering device) and when it ends. An answered call that has not ended is a live call: a
 * server that stops (even killed) takes it back in at its next start-up.
 */
export interface CallStart {
  callId: string;
  callerId: number;
  callerDeviceId: string;
  calleeId: number;
  media: CallMedia;
  startedAt: number;
}

/** An answered call that has not ended. */
export interface AnsweredCall {
  callId: string;
  callerId: number;
  callerDeviceId: string;
  calleeId: number;
  answeredDeviceId: string;
  media: CallMedia;
  startedAt: number;
  answeredAt: number;
}

/** A finished call as one user sees it. */
export interface CallLogView {
  callId: string;
  direction: 'outgoing' | 'incoming';
  peer: { username: string; displayName: string };
  media: CallMedia;
  outcome: CallOutcome;
  startedAt: number;
  answeredAt: number | null;
  endedAt: number;
  durationMs: number;
  count: number;
  /** A call with more than two people (see GroupCallLogStore): the others in it. */
  group?: GroupCallLog;
}

interface CallLogRow {
  call_id: string;
  caller_id: number;
  callee_count: number;
  media: CallMedia;
  outcome: CallOutcome;
  started_at: number;
  answered_at: number | null;
  ended_at: number;
  peer_username: string;
  peer_display_name: string;
}

/** Outcomes of calls the callee never answered: repeated ones merge in the callee's log. */
const UNANSWERED: ReadonlySet<CallOutcome> = new Set(['missed', 'busy', 'cancelled']);

/**
 * The rows @user's log shows, at most @limit of each kind, newest first: the calls they made, and
 * the calls to them not merged into a later entry, less those the user removed from their log. Each half reads its own index in order;
 * `narrow` is a condition added to both. The caller orders the union by started_at and r (rowid).
 */
function shownRows(narrow = ''): string {
  return `
    SELECT * FROM (
      SELECT rowid AS r, * FROM call_log
      WHERE caller_id = @user AND caller_removed = 0 AND ended_at IS NOT NULL ${narrow}
      ORDER BY started_at DESC, rowid DESC LIMIT @limit)
    UNION ALL
    SELECT * FROM (
      SELECT rowid AS r, * FROM call_log
      WHERE callee_id = @user AND callee_merged_into IS NULL AND callee_removed = 0
        AND ended_at IS NOT NULL ${narrow}
      ORDER BY started_at DESC, rowid DESC LIMIT @limit)`;
}

export class CallLogStore {
  private readonly selectExists: Statement;
  private readonly insert: Statement;
  private readonly updateAnswered: Statement;
  private readonly updateEnded: Statement;
  private readonly selectForMerge: Statement;
  private readonly selectBelow: Statement;
  private readonly updateCalleeCount: Statement;
  private readonly updateMergedInto: Statement;
  private readonly closeInterruptedRows: Statement;
  private readonly closeInterruptedGrownRows: Statement;
  private readonly selectAnsweredOpen: Statement;
  private readonly selectLog: Statement;
  private readonly selectLogWithoutGrown: Statement;
  private readonly removeAsCaller: Statement;
  private readonly removeAsCallee: Statement;
  private readonly clearAsCaller: Statement;
  private readonly clearAsCallee: Statement;
  /** Removing from one user's log touches both of their sides of the table, as one unit. */
  private readonly removeUnit: (userId: number, callId: string) => number;
  private readonly clearUnit: (userId: number) => void;
  /** The end and the merge in the callee's log, as one unit (a savepoint inside a batch). */
  private readonly endedUnit: (callId: string, outcome: CallOutcome, at: number) => void;

  constructor(
    db: Database,
    private readonly writes: Writes = separateWrites,
  ) {
    // Group calls share the call ids' space: one used by either is used.
    this.selectExists = db.prepare(
      `SELECT 1 FROM call_log WHERE call_id = @callId
       UNION ALL SELECT 1 FROM group_calls WHERE call_id = @callId`,
    );
    this.insert = db.prepare(
      `INSERT INTO call_log (call_id, caller_id, caller_device_id, callee_id, media, started_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    this.updateAnswered = db.prepare(
      'UPDATE call_log SET answered_device_id = ?, answered_at = ? WHERE call_id = ?',
    );
    this.updateEnded = db.prepare(
      'UPDATE call_log SET outcome = ?, ended_at = ? WHERE call_id = ?',
    );
    this.selectForMerge = db.prepare(
      'SELECT rowid, caller_id, callee_id, started_at FROM call_log WHERE call_id = ?',
    );
    this.selectBelow = db.prepare(
      `SELECT call_id, caller_id, outcome, callee_count
       FROM (${shownRows('AND (started_at, rowid) < (@startedAt, @rowid)')})
       ORDER BY started_at DESC, r DESC LIMIT 1`,
    );
    this.updateCalleeCount = db.prepare('UPDATE call_log SET callee_count = ? WHERE call_id = ?');
    this.updateMergedInto = db.prepare(
      'UPDATE call_log SET callee_merged_into = ? WHERE call_id = ?',
    );
    this.closeInterruptedRows = db.prepare(
      `UPDATE call_log SET
         outcome = CASE WHEN answered_at IS NULL THEN 'missed' ELSE 'answered' END,
         ended_at = COALESCE(answered_at, started_at)
       WHERE ended_at IS NULL AND (answered_at IS NULL OR answered_device_id IS NULL)`,
    );
    // A call that grew onto the SFU (a third member joined) lost its media with the server that
    // ran the SFU: it is over, ended when the server started again (the stop's moment is unknown).
    this.closeInterruptedGrownRows = db.prepare(
      `UPDATE call_log SET outcome = 'answered', ended_at = MAX(@at, answered_at)
       WHERE ended_at IS NULL AND answered_at IS NOT NULL AND answered_device_id IS NOT NULL
         AND (SELECT COUNT(*) FROM call_participants p WHERE p.call_id = call_log.call_id) >= 3`,
    );
    this.selectAnsweredOpen = db.prepare(
      `SELECT call_id AS callId, caller_id AS callerId, caller_device_id AS callerDeviceId,
              callee_id AS calleeId, answered_device_id AS answeredDeviceId, media,
              started_at AS startedAt, answered_at AS answeredAt
       FROM call_log
       WHERE ended_at IS NULL AND answered_at IS NOT NULL AND answered_device_id IS NOT NULL`,
    );
    const selectLog = (narrow = '') =>
      db.prepare(
        `SELECT l.call_id, l.caller_id, l.callee_count, l.media, l.outcome, l.started_at,
                l.answered_at, l.ended_at, p.username AS peer_username,
                p.display_name AS peer_display_name
         FROM (${shownRows(narrow)}) l
         JOIN users p ON p.id = CASE WHEN l.caller_id = @user THEN l.callee_id ELSE l.caller_id END
         ORDER BY l.started_at DESC, l.r DESC
         LIMIT @limit`,
      );
    this.selectLog = selectLog();
    // A call that a third person joined is a group call's entry (GroupCallLogStore) instead.
    this.selectLogWithoutGrown = selectLog(
      'AND (SELECT COUNT(*) FROM call_participants p WHERE p.call_id = call_log.call_id) < 3',
    );
    // Only an entry the user's log shows can be removed: an ended call, not merged away.
    this.removeAsCaller = db.prepare(
      `UPDATE call_log SET caller_removed = 1
       WHERE call_id = ? AND caller_id = ? AND caller_removed = 0 AND ended_at IS NOT NULL`,
    );
    this.removeAsCallee = db.prepare(
      `UPDATE call_log SET callee_removed = 1
       WHERE call_id = ? AND callee_id = ? AND callee_removed = 0 AND ended_at IS NOT NULL
         AND callee_merged_into IS NULL`,
    );
    this.clearAsCaller = db.prepare(
      `UPDATE call_log SET caller_removed = 1
       WHERE caller_id = ? AND caller_removed = 0 AND ended_at IS NOT NULL`,
    );
    this.clearAsCallee = db.prepare(
      `UPDATE call_log SET callee_removed = 1
       WHERE callee_id = ? AND callee_removed = 0 AND ended_at IS NOT NULL`,
    );
    this.removeUnit = db.transaction(
      (userId: number, callId: string) =>
        this.removeAsCaller.run(callId, userId).changes +
        this.removeAsCallee.run(callId, userId).changes,
    );
    this.clearUnit = db.transaction((userId: number) => {
      this.clearAsCaller.run(userId);
      this.clearAsCallee.run(userId);
    });
    this.endedUnit = db.transaction((callId: string, outcome: CallOutcome, at: number) => {
      this.updateEnded.run(outcome, at, callId);
      if (UNANSWERED.has(outcome)) this.mergeIntoCalleeLog(callId);
    });
  }

  exists(callId: string): boolean {
    return this.selectExists.get({ callId }) !== undefined;
  }

  start(call: CallStart): void {
    this.writes.write(() =>
      this.insert.run(
        call.callId,
        call.callerId,
        call.callerDeviceId,
        call.calleeId,
        call.media,
        call.startedAt,
      ),
    );
  }

  answered(callId: string, deviceId: string, at: number): void {
    this.writes.write(() => this.updateAnswered.run(deviceId, at, callId));
  }

  /**
   * Ends the call, and in the same transaction merges it in the callee's log with the entry just
   * below it when both are unanswered calls from the same caller (see `mergeIntoCalleeLog`).
   */
  ended(callId: string, outcome: CallOutcome, at: number): void {
    this.writes.write(() => this.endedUnit(callId, outcome, at));
  }

  /**
   * Repeated unanswered calls from one caller become one entry of the callee's log: when the
   * callee's entry just below this call (the newest shown one that started before it) is an
   * unanswered call from the same caller, this call's entry takes it over, counting both, and the
   * older one is no longer shown to the callee. The caller's own log keeps every call.
   */
  private mergeIntoCalleeLog(callId: string): void {
    const call = this.selectForMerge.get(callId) as
      | { rowid: number; caller_id: number; callee_id: number; started_at: number }
      | undefined;
    if (!call) return;
    const below = this.selectBelow.get({
      user: call.callee_id,
      limit: 1,
      startedAt: call.started_at,
      rowid: call.rowid,
    }) as
      | { call_id: string; caller_id: number; outcome: CallOutcome; callee_count: number }
      | undefined;
    if (!below || below.caller_id !== call.caller_id || !UNANSWERED.has(below.outcome)) return;
    this.updateCalleeCount.run(below.callee_count + 1, callId);
    this.updateMergedInto.run(callId, below.call_id);
  }

  /**
   * Closes the calls a stop interrupted while they rang: missed, ended when they started. (An
   * answered call without its answering device, which only an older server wrote, ends when it
   * was answered.) A call that had grown onto the SFU ends answered at `at`, the start-up: its
   * media went with the stopped server, so it is not taken back in.
   */
  closeInterrupted(at: number): number {
    return this.writes.write(
      () =>
        this.closeInterruptedRows.run().changes +
        this.closeInterruptedGrownRows.run({ at }).changes,
    );
  }

  /** The answered calls that have not ended: the live calls of a server that stopped. */
  answeredOpen(): AnsweredCall[] {
    return this.selectAnsweredOpen.all() as AnsweredCall[];
  }

  /**
   * Removes the call from this user's log only: the other party's entry stays. False when the
   * user's log shows no such entry (unknown, someone else's, still going on, already removed).
   */
  remove(userId: number, callId: string): boolean {
    return this.writes.write(() => this.removeUnit(userId, callId)) > 0;
  }

  /**
   * Removes every entry of this user's log (calls that have ended; one still going on appears
   * when it ends). The other parties' entries stay.
   */
  clear(userId: number): void {
    this.writes.write(() => this.clearUnit(userId));
  }

  /**
   * This user's log, newest first: finished calls they made, and finished calls to them that were
   * not merged into a later entry (see `mergeIntoCalleeLog`). With `withoutGrown`, less the calls
   * a third person joined, which a connection that negotiated `rooms` is shown as group calls.
   */
  listFor(userId: number, limit: number, withoutGrown = false): CallLogView[] {
    const select = withoutGrown ? this.selectLogWithoutGrown : this.selectLog;
    const rows = select.all({ user: userId, limit }) as CallLogRow[];
    return rows.map((row) => ({
      callId: row.call_id,
      direction: row.caller_id === userId ? 'outgoing' : 'incoming',
      peer: { username: row.peer_username, displayName: row.peer_display_name },
      media: row.media,
      outcome: row.outcome,
      startedAt: row.started_at,
      // A call accepted and then refused (keys that did not verify, a device that failed) failed:
      // it was never answered, and has no duration.
      answeredAt: row.outcome === 'answered' ? row.answered_at : null,
      endedAt: row.ended_at,
      durationMs:
        row.outcome === 'answered' && row.answered_at !== null ? row.ended_at - row.answered_at : 0,
      // The caller's log keeps every call; only the callee's entries stand for several.
      count: row.caller_id === userId ? 1 : row.callee_count,
    }));
  }
}
