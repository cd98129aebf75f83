/** How often a sender moves to a new epoch in a long call. */
export const ROTATION_INTERVAL_MS = 10 * 60_000;
/**
 * The fewest milliseconds between two rotations the peer asks for. A receiver follows at most 16
 * epochs ahead, so a flood of call.rekey (from a hostile server) must not outrun it.
 */
export const MIN_REKEY_GAP_MS = 1_000;

export interface RotatingKeys {
  advanceSendEpoch(): Promise<void>;
}

/** Rotates the sending key every 10 minutes and whenever the peer sends call.rekey. */
export class KeyRotationSchedule {
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastRekeyAt = -Infinity;

  constructor(
    private readonly keys: RotatingKeys,
    private readonly now: () => number,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.rotate(), ROTATION_INTERVAL_MS);
  }

  /** The peer asked for a new epoch; returns false when the request came too soon to honour. */
  onRekeyRequest(): boolean {
    const now = this.now();
    if (now - this.lastRekeyAt < MIN_REKEY_GAP_MS) return false;
    this.lastRekeyAt = now;
    this.rotate();
    return true;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private rotate(): void {
    this.keys.advanceSendEpoch().catch((error: unknown) => {
      console.warn('parley: rotating the call key failed', error);
    });
  }
}
