import { signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import type { SignalingRequests } from '../signaling/SignalingClient';

export type CallLogEntry = ServerMessageOf<'calllog'>['entries'][number];

/** The call history the server keeps for this account, newest first. */
export class CallLogModel {
  readonly entries = signal<CallLogEntry[]>([]);
  /** Calls missed since the user last looked at the log: the Calls tab's badge. */
  readonly missedUnseen = signal(0);
  /** Why the last removal did not go through, as a sentence; null when it did. */
  readonly error = signal<string | null>(null);
  /** A removal or clear waits for the server: the buttons wait too. */
  readonly changing = signal(false);
  private lastMissed: string | null = null;

  constructor(private readonly signaling: SignalingRequests) {}

  /** A call to us ended missed; counted once, however often its end is seen. */
  noteMissed(callId: string): void {
    if (callId === this.lastMissed) return;
    this.lastMissed = callId;
    this.missedUnseen.value += 1;
  }

  /** The user opened the log: what it holds now is seen. */
  markSeen(): void {
    this.missedUnseen.value = 0;
  }

  async load(): Promise<void> {
    try {
      const reply = await this.signaling.request('calllog.list', { limit: 100 });
      this.entries.value = [...reply.entries].sort((a, b) => b.startedAt - a.startedAt);
    } catch (error) {
      console.warn('parley: could not load the call log', error);
    }
  }

  /** Removes one entry from this account's log (the other party keeps theirs). */
  async remove(callId: string): Promise<void> {
    await this.change(
      () => this.signaling.request('calllog.delete', { callId }),
      () => this.entries.value.filter((entry) => entry.callId !== callId),
    );
  }

  /** Removes every entry of this account's log (the UI asks the user to confirm first). */
  async clear(): Promise<void> {
    await this.change(
      () => this.signaling.request('calllog.clear', {}),
      () => [],
    );
  }

  private async change(ask: () => Promise<unknown>, after: () => CallLogEntry[]): Promise<void> {
    if (this.changing.value) return;
    this.changing.value = true;
    this.error.value = null;
    try {
      await ask();
      this.entries.value = after();
    } catch (error) {
      if (error instanceof SignalingError && error.code === 'unknown_log_entry') {
        // Already gone (removed on another device): show the log as it is now.
        await this.load();
        return;
      }
      this.error.value = 'The call log could not be changed. Check your connection and try again.';
    } finally {
      this.changing.value = false;
    }
  }
}
