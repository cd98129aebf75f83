import { computed, signal } from '@preact/signals';
import {
  type E2eeStatus,
  E2eeStatusTracker,
  NEGOTIATING,
  overallE2eeState,
  type ReceivedFrames,
} from '../../call/E2eeStatusTracker';

/**
 * One remote member's end-to-end state, from the frames of theirs the worker counts: per kind
 * (video can fail while audio decrypts), "can't decrypt" once their frames have failed for 2 s
 * with none decrypting. The same for the peer of a 1:1 call and each member of a group call.
 */
export class MemberE2ee {
  /** Per incoming track kind: negotiating | encrypted | decrypt_failed. */
  readonly status = signal<E2eeStatus>(NEGOTIATING);
  /** In one word: decrypt_failed when any kind fails. */
  readonly state = computed(() => overallE2eeState(this.status.value));
  private tracker = new E2eeStatusTracker();

  count(frames: ReceivedFrames, now: number): void {
    this.status.value = this.tracker.update(frames, now);
  }

  /**
   * A new worker counts from zero: the counts start over, and the status holds until they say
   * otherwise.
   */
  countsStartOver(): void {
    this.tracker = new E2eeStatusTracker();
  }

  /** Nothing of theirs is known any more: back to negotiating. */
  reset(): void {
    this.tracker = new E2eeStatusTracker();
    this.status.value = NEGOTIATING;
  }
}
