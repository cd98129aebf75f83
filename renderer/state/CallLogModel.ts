import { signal } from '@preact/signals';
import type { ServerMessageOf } from '../../protocol';
import type { SignalingRequests } from '../signaling/SignalingClient';

export type CallLogEntry = ServerMessageOf<'calllog'>['entries'][number];

/** The call history the server keeps for this account, newest first. */
export class CallLogModel {
  readonly entries = signal<CallLogEntry[]>([]);

  constructor(private readonly signaling: SignalingRequests) {}

  async load(): Promise<void> {
    try {
      const reply = await this.signaling.request('calllog.list', { limit: 100 });
      this.entries.value = [...reply.entries].sort((a, b) => b.startedAt - a.startedAt);
    } catch (error) {
      console.warn('parley: could not load the call log', error);
    }
  }
}
