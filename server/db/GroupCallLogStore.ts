import type { Statement } from 'better-sqlite3';
import type { CallMedia } from '../../protocol';
import { separateWrites, type Writes } from './GroupCommit';
import type { Database } from './openDatabase';

/**
 * What the call log keeps of calls with more than two people: a call made with `room.create` (it
 * has no callee, so it is not a `call_log` row) and, for every such call and every 1:1 call that
 * grew, each member device in its slot with when it joined and left. Written as things happen, in
 * the turn's group commit, so nobody is told of a member before its row is on disk.
 */
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
    this.insertParticipant = db.prepare(
      `INSERT INTO call_participants (call_id, slot, user_id, device_id, joined_at)
       VALUES (?, ?, ?, ?, ?)`,
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

  participants(callId: string): Participant[] {
    return this.selectParticipants.all(callId) as Participant[];
  }

  /** At start-up (`at`): group calls the last run left open end, as does every membership. */
  closeInterrupted(at: number): number {
    return this.writes.write(() => {
      this.closeInterruptedParticipants.run({ at });
      return this.closeInterruptedCalls.run({ at }).changes;
    });
  }
}
