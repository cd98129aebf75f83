/**
 * The worker's frame counts: per track kind for all of the call's frames (the 1:1 status reads
 * these), and per sender slot for incoming ones (each participant's own status).
 */
import type { SenderSlot } from '../callKeyIds';
import {
  type E2eeWorkerReport,
  type FrameCounts,
  type KindCounts,
  MAX_KEYLESS_SENDERS,
  type MediaKind,
  type SenderFrameCounts,
} from './messages';

const zeroCounts = (): FrameCounts => ({
  encrypted: 0,
  encryptFailed: 0,
  decrypted: 0,
  decryptFailed: 0,
});

export class FrameTally {
  private readonly kinds: KindCounts = { audio: zeroCounts(), video: zeroCounts() };
  private readonly senders = new Map<SenderSlot, SenderFrameCounts>();
  private keylessSenders = 0;

  /** `hasReceiveKey`: whether the worker holds a key for a slot, so it is always counted. */
  constructor(private readonly hasReceiveKey: (slot: SenderSlot) => boolean) {}

  encrypted(kind: MediaKind): void {
    this.kinds[kind].encrypted++;
  }

  encryptFailed(kind: MediaKind): void {
    this.kinds[kind].encryptFailed++;
  }

  /** `slot`: the one the frame's KID names, null when it has no readable SFrame header. */
  decrypted(kind: MediaKind, slot: SenderSlot | null): void {
    this.kinds[kind].decrypted++;
    const sender = this.sender(slot);
    if (sender) sender[kind].decrypted++;
  }

  decryptFailed(kind: MediaKind, slot: SenderSlot | null): void {
    this.kinds[kind].decryptFailed++;
    const sender = this.sender(slot);
    if (sender) sender[kind].decryptFailed++;
  }

  /** A copy of the counts so far, senders by slot. */
  report(): E2eeWorkerReport {
    return {
      kind: 'stats',
      counts: { audio: { ...this.kinds.audio }, video: { ...this.kinds.video } },
      senders: [...this.senders.values()]
        .sort((a, b) => a.slot - b.slot)
        .map(({ slot, audio, video }) => ({ slot, audio: { ...audio }, video: { ...video } })),
    };
  }

  private sender(slot: SenderSlot | null): SenderFrameCounts | null {
    if (slot === null) return null;
    const known = this.senders.get(slot);
    if (known) return known;
    if (!this.hasReceiveKey(slot)) {
      if (this.keylessSenders >= MAX_KEYLESS_SENDERS) return null;
      this.keylessSenders++;
    }
    const counts: SenderFrameCounts = {
      slot,
      audio: { decrypted: 0, decryptFailed: 0 },
      video: { decrypted: 0, decryptFailed: 0 },
    };
    this.senders.set(slot, counts);
    return counts;
  }
}
