import type { Statement } from 'better-sqlite3';
import type { Logger } from 'pino';
import type { Database } from './openDatabase';

/**
 * How long the writes of one event-loop turn wait for more before they commit: 0 commits at the
 * end of the turn (setImmediate), more gathers several turns, GROUP_COMMIT_OFF commits each
 * statement on its own (the server before group commit, kept as a benchmark baseline).
 */
export const DEFAULT_COMMIT_DELAY_MS = 0;
export const MAX_COMMIT_DELAY_MS = 1000;
export const GROUP_COMMIT_OFF = -1;

/** Where a store's writes go: `write` runs a unit of writes in the current transaction. */
export interface Writes {
  write<T>(work: () => T): T;
  /**
   * Calls `listener` whenever writes that were already made (and read back) are undone by a
   * failed commit: a store that keeps what it read in memory forgets it then.
   */
  onRollback(listener: () => void): void;
}

/** Each statement commits on its own: for tools that write outside a running server. */
export const separateWrites: Writes = { write: (work) => work(), onRollback: () => {} };

/** What waits for the commit of everything written before it (see GroupCommit). */
export interface CommitGate {
  /** True while writes are pending: whatever is told to clients now must wait for their commit. */
  readonly holding: boolean;
  /**
   * Runs `effect` once everything written so far is committed (at once when nothing is
   * pending); if that commit fails, runs `aborted` instead.
   */
  afterCommit(effect: () => void, aborted: () => void): void;
}

interface Held {
  effect: () => void;
  aborted: () => void;
}

/**
 * Group commit: the first write of an event-loop turn opens a transaction; every write until the
 * commit (the end of the turn, or `delayMs` later) joins it, and everything the server would tell
 * a client meanwhile is held (`afterCommit`) and sent, in order, only once the transaction
 * committed. So one fsync covers every write of a turn, and nothing a client is told can be lost
 * by a crash. A failed commit is rolled back and logged, and the held effects are aborted
 * instead: the server goes on with the next turn.
 *
 * Reads in the turn see its uncommitted writes (one connection). A unit of writes that must be
 * all-or-nothing inside the batch runs in a nested `db.transaction` (a savepoint), so its failure
 * undoes only itself.
 */
export class GroupCommit implements Writes, CommitGate {
  private readonly begin: Statement;
  private readonly commitStatement: Statement;
  private readonly rollback: Statement;
  private held: Held[] = [];
  private readonly rollbackListeners: (() => void)[] = [];
  private open = false;
  /** SQLite rolled the open transaction back on its own (I/O error, full disk, ...). */
  private lost = false;
  private cancelCommit: () => void = () => {};

  constructor(
    private readonly db: Database,
    private readonly delayMs: number,
    private readonly logger: Logger,
  ) {
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commitStatement = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  get holding(): boolean {
    return this.open;
  }

  write<T>(work: () => T): T {
    if (this.delayMs < 0) return work();
    if (!this.open) this.openBatch();
    else if (!this.db.inTransaction) {
      this.lost = true;
      this.begin.run();
    }
    return work();
  }

  onRollback(listener: () => void): void {
    this.rollbackListeners.push(listener);
  }

  afterCommit(effect: () => void, aborted: () => void): void {
    if (this.open) this.held.push({ effect, aborted });
    else effect();
  }

  /**
   * Commits what is pending now, then runs the held effects in the order they were held (or,
   * when the commit fails, their `aborted`). The end of a turn calls it, and so does a stop.
   */
  commit(): void {
    if (!this.open) return;
    this.cancelCommit();
    this.open = false;
    const held = this.held;
    this.held = [];
    const failure = this.tryCommit();
    if (failure) {
      this.logger.error(
        { err: failure, held: held.length },
        'commit failed: its writes are undone and what they would have told clients is not sent',
      );
      for (const listener of this.rollbackListeners) listener();
    }
    for (const { effect, aborted } of held) {
      try {
        if (failure) aborted();
        else effect();
      } catch (error) {
        this.logger.error({ err: error }, 'an effect held for a commit failed');
      }
    }
  }

  private openBatch(): void {
    this.begin.run();
    this.open = true;
    this.lost = false;
    if (this.delayMs === 0) {
      const immediate = setImmediate(() => this.commit());
      this.cancelCommit = () => clearImmediate(immediate);
    } else {
      const timer = setTimeout(() => this.commit(), this.delayMs);
      this.cancelCommit = () => clearTimeout(timer);
    }
  }

  /** Commits the open transaction: the error when it did not commit (it is rolled back then). */
  private tryCommit(): Error | null {
    try {
      if (this.lost || !this.db.inTransaction) {
        throw new Error('SQLite rolled the transaction back before its commit');
      }
      this.commitStatement.run();
      return null;
    } catch (error) {
      try {
        if (this.db.inTransaction) this.rollback.run();
      } catch (rollbackError) {
        this.logger.error({ err: rollbackError }, 'rollback after a failed commit failed');
      }
      return error as Error;
    }
  }
}
