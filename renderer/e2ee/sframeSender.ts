/**
 * SFrameSender: one sender's encryption key and counter. The counter starts at 0 for each
 * new KID, goes up by one per frame and never wraps: past 2^64-1 the sender refuses.
 */
import { type Bytes, MAX_U64, checkBytes, checkU64 } from './bytes';
import { SFrameError } from './SFrameError';
import { SFrameContext, type SFrameContextOptions } from './sframeContext';

export class SFrameSender {
  private readonly context: SFrameContext;
  private currentKid: bigint | undefined;
  private counter = 0n;
  /** KIDs this sender has encrypted with; a KID is never reused, as its counter would restart. */
  private readonly usedKids = new Set<bigint>();
  /** setKey calls begun, and the number of the one whose key is in use (0: none yet). */
  private keysRequested = 0;
  private keyInUse = 0;

  constructor(cipherSuite: number, options?: SFrameContextOptions) {
    this.context = new SFrameContext(cipherSuite, options);
  }

  /** The KID frames are encrypted with, once a key is set. */
  get kid(): bigint | undefined {
    return this.currentKid;
  }

  /** The CTR the next frame will carry. */
  get nextCounter(): bigint {
    return this.counter;
  }

  /**
   * Switches to a new key. Frames already being encrypted finish with the old one; later
   * frames use `kid` with CTR from 0. A KID this sender has used before is refused. Keys set in
   * quick succession end on the last one set, whichever derivation finishes first.
   */
  async setKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    checkU64('kid', kid);
    checkBytes('baseKey', baseKey);
    if (this.usedKids.has(kid) || this.currentKid === kid) {
      throw new SFrameError('counter_reused', `KID ${kid} was already used by this sender`);
    }
    const order = ++this.keysRequested;
    await this.context.setKey(kid, baseKey);
    if (this.usedKids.has(kid) || this.currentKid === kid) return; // a concurrent call won
    if (order < this.keyInUse) {
      // A key set after this one is in use already: going back to this one would send with a
      // key that members who joined meanwhile were never given (they got only the newer one).
      this.context.removeKey(kid);
      return;
    }
    this.keyInUse = order;
    const previous = this.currentKid;
    this.currentKid = kid;
    this.counter = 0n;
    this.usedKids.add(kid);
    if (previous !== undefined) this.context.removeKey(previous);
  }

  /** Encrypts the next frame: header || ciphertext || tag. */
  encrypt(metadata: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    return this.seal(metadata, plaintext, false);
  }

  /** Encrypts the next frame behind its metadata in the clear: metadata || header || ct || tag. */
  encryptAfterMetadata(metadata: Uint8Array, plaintext: Uint8Array): Promise<Bytes> {
    return this.seal(metadata, plaintext, true);
  }

  private seal(
    metadata: Uint8Array,
    plaintext: Uint8Array,
    metadataInFront: boolean,
  ): Promise<Bytes> {
    const kid = this.currentKid;
    if (kid === undefined) {
      return Promise.reject(new SFrameError('unknown_kid', 'SFrameSender has no key yet'));
    }
    const ctr = this.counter;
    if (ctr > MAX_U64) {
      return Promise.reject(
        new SFrameError('counter_exhausted', `KID ${kid} has used every counter; set a new key`),
      );
    }
    // Taken now, before any await, so concurrent frames never share a counter.
    this.counter = ctr + 1n;
    return metadataInFront
      ? this.context.encryptAfterMetadata(kid, ctr, metadata, plaintext)
      : this.context.encrypt(kid, ctr, metadata, plaintext);
  }
}
