/**
 * One sender's SFrame keys in a call: its slot, and its base key at a (generation, epoch). It
 * hands every new sending key to the worker and answers it, so that the key can be given to the
 * members who should have it. The worker restarts the counter for each new KID, and a KID is
 * never used twice, so no nonce repeats.
 */
import {
  MAX_EPOCH,
  MAX_GENERATION,
  type SenderSlot,
  kidFor,
  ratchetBaseKey,
} from '../e2ee/callKeyIds';
import type { E2eeWorkerRequest } from '../e2ee/worker/messages';

/** Where keys go: the call's E2EE worker. */
export interface E2eeWorkerPort {
  post(message: E2eeWorkerRequest): void;
}

export interface SenderKey {
  readonly kid: bigint;
  readonly generation: number;
  readonly epoch: number;
  readonly baseKey: Uint8Array;
}

/** The length of a base key, derived or random. */
export const BASE_KEY_BYTES = 32;

export class SenderKeyRing {
  private key: SenderKey;
  /** Serializes key changes, so concurrent ones each take their own KID. */
  private changing: Promise<unknown> = Promise.resolve();

  /** Sends with `baseKey` at (generation, epoch 0) from now on. */
  constructor(
    private readonly port: E2eeWorkerPort,
    readonly slot: SenderSlot,
    baseKey: Uint8Array,
    generation = 0,
  ) {
    this.key = this.install(generation, 0, Uint8Array.from(baseKey));
  }

  /** A ring for a sender that joins a room: a fresh random key at generation 0. */
  static withRandomKey(port: E2eeWorkerPort, slot: SenderSlot): SenderKeyRing {
    return new SenderKeyRing(port, slot, randomBaseKey());
  }

  /** The key frames are sent with now. */
  get current(): SenderKey {
    return this.key;
  }

  /**
   * Ratchets to the next epoch (someone joined: they are given the new key, which does not
   * reveal the old one). A generation that has used every epoch moves to the next generation
   * instead, so the answer is never a key someone had before.
   */
  advanceEpoch(): Promise<SenderKey> {
    return this.change(async ({ generation, epoch, baseKey }) => {
      if (epoch >= MAX_EPOCH) return this.fresh(generation + 1);
      return this.install(generation, epoch + 1, await ratchetBaseKey(baseKey));
    });
  }

  /**
   * A fresh random key at the next generation, epoch 0 (someone left: nothing they hold derives
   * it). Rejects with a RangeError past MAX_GENERATION, which a room, never reusing a slot,
   * cannot reach.
   */
  nextGeneration(): Promise<SenderKey> {
    return this.change(async ({ generation }) => this.fresh(generation + 1));
  }

  private change(next: (key: SenderKey) => Promise<SenderKey>): Promise<SenderKey> {
    const step = this.changing.then(() => next(this.key));
    this.changing = step.catch(() => undefined);
    return step;
  }

  private fresh(generation: number): SenderKey {
    if (generation > MAX_GENERATION) {
      throw new RangeError(`slot ${this.slot} has used every generation up to ${MAX_GENERATION}`);
    }
    return this.install(generation, 0, randomBaseKey());
  }

  private install(generation: number, epoch: number, baseKey: Uint8Array): SenderKey {
    const kid = kidFor(this.slot, epoch, generation);
    this.key = { kid, generation, epoch, baseKey };
    this.port.post({ kind: 'setSendKey', kid, baseKey });
    return this.key;
  }
}

function randomBaseKey(): Uint8Array {
  return crypto.getRandomValues(new Uint8Array(BASE_KEY_BYTES));
}
