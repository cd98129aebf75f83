// The SFU's mediasoup workers: one process per core, calls placed on the least-loaded one, and a
// worker that dies replaced while the calls it carried are reported so their clients can rejoin.
import type { types } from 'mediasoup';
import { CallRouter } from './CallRouter';
import { loadMediasoup } from './mediasoupWorkerBinary';
import type { SfuOptions } from './SfuOptions';

/** Every worker already hosts as many calls as it may; nothing was created. */
export class SfuFullError extends Error {
  constructor(readonly callsPerWorker: number) {
    super('Group calls are at capacity on this server right now; try again later');
  }
}

export interface SfuWorkerPoolEvents {
  /** A worker died: these calls lost their router, and their clients should rejoin. */
  onCallsLost?: (callIds: string[], cause: Error) => void;
  /** A replacement for a dead worker could not be started; the pool runs one worker short. */
  onReplacementFailed?: (cause: Error) => void;
  /** The participant whose audio now dominates the call. */
  onDominantSpeaker?: (callId: string, participantId: string) => void;
}

interface WorkerSlot {
  worker: types.Worker;
  /** Calls placed here, counted from the moment they are placed, before their router exists. */
  callIds: Set<string>;
}

export class SfuWorkerPool {
  private readonly slots: WorkerSlot[] = [];
  private readonly slotOfCall = new Map<string, WorkerSlot>();
  private readonly replacements = new Set<Promise<void>>();
  private closed = false;

  private constructor(
    private readonly options: SfuOptions,
    private readonly events: SfuWorkerPoolEvents,
  ) {}

  /** Starts options.workers workers; if any fails to start, closes the rest and throws. */
  static async start(
    options: SfuOptions,
    events: SfuWorkerPoolEvents = {},
  ): Promise<SfuWorkerPool> {
    const pool = new SfuWorkerPool(options, events);
    const started = await Promise.allSettled(
      Array.from({ length: options.workers }, () => pool.startWorker()),
    );
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      pool.close();
      throw failure.reason;
    }
    return pool;
  }

  /** Each worker's pid and how many calls it hosts, in start order. */
  get workerLoads(): { pid: number; calls: number }[] {
    return this.slots.map(({ worker, callIds }) => ({ pid: worker.pid, calls: callIds.size }));
  }

  /**
   * A router for the call on the worker with the fewest calls. Throws SfuFullError when every
   * worker is at callsPerWorker, and refuses a call that already has one.
   */
  async createCallRouter(callId: string): Promise<CallRouter> {
    // A worker being replaced is capacity about to return: wait for it rather than refuse.
    while (this.replacements.size > 0) await Promise.all(this.replacements);
    if (this.closed) throw new Error('The SFU has shut down');
    if (this.slotOfCall.has(callId)) throw new Error(`Call ${callId} already has a router`);
    const slot = this.leastLoadedSlot();
    if (slot === undefined) throw new SfuFullError(this.options.callsPerWorker);
    // Placed before the first await, so concurrent calls cannot overfill a worker.
    slot.callIds.add(callId);
    this.slotOfCall.set(callId, slot);
    const release = () => {
      // A dead worker's calls are reported lost by onWorkerDied, which still needs their ids.
      if (slot.worker.died) return;
      slot.callIds.delete(callId);
      if (this.slotOfCall.get(callId) === slot) this.slotOfCall.delete(callId);
    };
    try {
      return await CallRouter.create({
        callId,
        worker: slot.worker,
        options: this.options,
        onDominantSpeaker: (participantId) =>
          this.events.onDominantSpeaker?.(callId, participantId),
        onClosed: release,
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  /** Closes every worker, and with them every call's router. */
  close(): void {
    this.closed = true;
    for (const { worker } of this.slots) worker.close();
    this.slots.length = 0;
    this.slotOfCall.clear();
  }

  private leastLoadedSlot(): WorkerSlot | undefined {
    let best: WorkerSlot | undefined;
    for (const slot of this.slots) {
      if (slot.callIds.size >= this.options.callsPerWorker) continue;
      if (best === undefined || slot.callIds.size < best.callIds.size) best = slot;
    }
    return best;
  }

  private async startWorker(): Promise<void> {
    const mediasoup = await loadMediasoup();
    const worker = await mediasoup.createWorker({ logLevel: 'warn' });
    if (this.closed) {
      worker.close();
      return;
    }
    const slot: WorkerSlot = { worker, callIds: new Set() };
    this.slots.push(slot);
    worker.once('died', (cause) => this.onWorkerDied(slot, cause));
  }

  private onWorkerDied(slot: WorkerSlot, cause: Error): void {
    this.slots.splice(this.slots.indexOf(slot), 1);
    const lost = [...slot.callIds];
    for (const callId of lost) this.slotOfCall.delete(callId);
    if (this.closed) return;
    const replacement = this.startWorker()
      .catch((error: unknown) =>
        this.events.onReplacementFailed?.(
          error instanceof Error ? error : new Error(String(error)),
        ),
      )
      .finally(() => this.replacements.delete(replacement));
    this.replacements.add(replacement);
    this.events.onCallsLost?.(lost, cause);
  }
}
