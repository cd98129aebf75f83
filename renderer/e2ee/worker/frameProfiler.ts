/**
 * Benchmarks only: wall time of each stage of every frame in the worker, summed per operation
 * and track kind. Off by default; when off, the frame path holds no timer at all.
 */
import {
  FRAME_STAGES,
  type FrameProfile,
  type FrameStage,
  type MediaKind,
  type StageTotals,
  type TransformOperation,
} from './messages';

/** One frame's clock: each lap adds the time since the previous one to its stage. */
export interface FrameClock {
  lap(stage: FrameStage): void;
  /** The last lap; counts the frame and its bytes. */
  end(stage: FrameStage, bytes: number): void;
}

const emptyTotals = (): StageTotals => ({
  frames: 0,
  bytes: 0,
  ms: Object.fromEntries(FRAME_STAGES.map((stage) => [stage, 0])) as Record<FrameStage, number>,
});

export class FrameProfiler {
  private readonly profile: FrameProfile = {
    'encrypt audio': emptyTotals(),
    'encrypt video': emptyTotals(),
    'decrypt audio': emptyTotals(),
    'decrypt video': emptyTotals(),
  };

  start(operation: TransformOperation, mediaKind: MediaKind): FrameClock {
    const totals = this.profile[`${operation} ${mediaKind}`];
    let last = performance.now();
    const lap = (stage: FrameStage) => {
      const now = performance.now();
      totals.ms[stage] += now - last;
      last = now;
    };
    return {
      lap,
      end(stage, bytes) {
        lap(stage);
        totals.frames++;
        totals.bytes += bytes;
      },
    };
  }

  snapshot(): FrameProfile {
    return structuredClone(this.profile);
  }
}
