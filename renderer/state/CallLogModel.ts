import { signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import type { SignalingRequests } from '../signaling/SignalingClient';

export type CallLogEntry = ServerMessageOf<'calllog'>['entries'][number];

/** The call history the server keeps for this account, newest first. */
export class CallLogModel {
  readonly entries = signal<CallLogEntry[]>([]);
  /** Calls missed since the user last looked at the log: the Calls tab's badge. */
  readonly missedUnseen = signal(0);
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
}
