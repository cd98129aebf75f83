/**
 * A sliding replay window over one KID's counters (RFC 9605 7.4 leaves replay to the
 * application). Counters above the highest seen are fresh; within `size` below it, each is
 * accepted once, out of order; older ones are refused. A bitmap indexed by ctr mod size.
 */
export type ReplayVerdict = 'fresh' | 'duplicate' | 'too_old';

export const DEFAULT_REPLAY_WINDOW = 1024;

export class ReplayWindow {
  private readonly bits: Uint32Array;
  /** Highest accepted counter, or -1 before the first. */
  private top = -1n;

  constructor(readonly size: number = DEFAULT_REPLAY_WINDOW) {
    ReplayWindow.checkSize(size);
    this.bits = new Uint32Array(size / 32);
  }

  static checkSize(size: number): void {
    if (!Number.isInteger(size) || size < 32 || size % 32 !== 0 || size > 1 << 20) {
      throw new RangeError('replay window size must be a multiple of 32 in 32..2^20');
    }
  }

  /** Would `ctr` be accepted now? Does not change the window. */
  check(ctr: bigint): ReplayVerdict {
    if (ctr > this.top) return 'fresh';
    if (this.top - ctr >= BigInt(this.size)) return 'too_old';
    return this.isSet(ctr) ? 'duplicate' : 'fresh';
  }

  /** Records `ctr` as accepted. Call only for authenticated frames whose check() was fresh. */
  accept(ctr: bigint): void {
    if (ctr > this.top) {
      const advance = ctr - this.top;
      if (advance >= BigInt(this.size)) {
        this.bits.fill(0);
      } else {
        // Forget the counters that slide out: they share bits with the new ones.
        for (let c = this.top + 1n; c <= ctr; c++) this.setBit(c, false);
      }
      this.top = ctr;
    }
    this.setBit(ctr, true);
  }

  private index(ctr: bigint): [word: number, mask: number] {
    const bit = Number(ctr % BigInt(this.size));
    return [bit >>> 5, 1 << (bit & 31)];
  }

  private isSet(ctr: bigint): boolean {
    const [word, mask] = this.index(ctr);
    return ((this.bits[word] as number) & mask) !== 0;
  }

  private setBit(ctr: bigint, on: boolean): void {
    const [word, mask] = this.index(ctr);
    const value = this.bits[word] as number;
    this.bits[word] = on ? value | mask : value & ~mask;
  }
}
