import type { ServerMessage } from '../../protocol';
import type { Clock } from '../calls/timePorts';
import { NoticeStream, type ClientNoticePlace, type StreamLimits } from './NoticeStream';
import type { NoticeStreams, StreamResumption, StreamState } from './NoticeStreams';

/** The single-node notice streams: one NoticeStream per device, in this process's memory. */
export class InProcessNoticeStreams implements NoticeStreams {
  private readonly streams = new Map<string, NoticeStream>();

  constructor(
    private readonly limits: StreamLimits,
    private readonly clock: Clock,
  ) {}

  start(deviceId: string): StreamState {
    const stream = new NoticeStream(this.limits, this.clock);
    this.streams.set(deviceId, stream);
    return { id: stream.id, resumed: false, received: 0 };
  }

  resume(deviceId: string, id: string, received: number): StreamResumption {
    const stream = this.streams.get(deviceId);
    const resend = stream?.id === id ? stream.resumeAfter(received) : null;
    if (!stream || !resend) return { state: this.start(deviceId), resend: [] };
    return { state: { id, resumed: true, received: stream.received }, resend };
  }

  append(deviceId: string, notice: ServerMessage): number | null {
    return this.streams.get(deviceId)?.append(notice).seq ?? null;
  }

  acknowledge(deviceId: string, seq: number): void {
    this.streams.get(deviceId)?.acknowledge(seq);
  }

  receive(deviceId: string, seq: number): ClientNoticePlace {
    return this.streams.get(deviceId)?.receive(seq) ?? { kind: 'gap', expected: 1 };
  }

  received(deviceId: string): number {
    return this.streams.get(deviceId)?.received ?? 0;
  }

  end(deviceId: string): void {
    this.streams.delete(deviceId);
  }
}
