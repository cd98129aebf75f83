/**
 * Encrypts and decrypts whole media frames for one call: clear prefix || SFrame(prefix as
 * metadata). One sender for every outgoing track: audio and video share the KID, so they share
 * its counter (the nonce is derived from KID and CTR only), and the receiver keeps one replay
 * window per KID across tracks.
 *
 * Receive keys are kept per sender slot and, within a slot, per generation. The receiver follows
 * a sender that moved to a later epoch by ratcheting that generation's newest key forward, never
 * into another generation: a generation whose key has not arrived has no key at all. The previous
 * epoch's key, and the previous generation's keys once a newer generation is installed, are kept
 * for a grace period so frames in flight still decrypt.
 */
import { type MediaCodec, clearPrefixLength } from './clearPrefix';
import {
  type KeyId,
  MAX_RATCHET_STEPS,
  type SenderSlot,
  kidFor,
  parseKid,
  ratchetBaseKey,
} from './callKeyIds';
import type { Bytes } from './bytes';
import { AES_128_GCM_SHA256_128 } from './cipherSuites';
import { SFrameContext } from './sframeContext';
import { SFrameError } from './SFrameError';
import { decodeHeader } from './sframeHeader';
import { SFrameSender } from './sframeSender';

/**
 * How long a receiver keeps the previous epoch's key after moving to a newer one, and a sender's
 * previous generation after its next generation's key is installed.
 */
export const PREVIOUS_EPOCH_GRACE_MS = 10_000;

/** One generation of one sender's keys. */
interface ReceiveGeneration {
  readonly slot: SenderSlot;
  readonly generation: number;
  /** The newest epoch reached, and its base key to ratchet on from. */
  epoch: number;
  baseKey: Uint8Array;
  /** Serializes ratchet steps, so concurrent frames of a new epoch derive it once. */
  advancing: Promise<void>;
  /** KIDs of this generation with a key in the receiver: the newest epoch, and any in grace. */
  readonly kids: Set<bigint>;
  /** False once dropped: its keys are gone and it ratchets no more. */
  live: boolean;
}

interface ReceiveSender {
  current: ReceiveGeneration;
  /** The generation `current` replaced, until its grace period ends. */
  previous: ReceiveGeneration | null;
}

export class FrameCryptor {
  private readonly sender = new SFrameSender(AES_128_GCM_SHA256_128);
  private readonly receiver = new SFrameContext(AES_128_GCM_SHA256_128);
  private readonly receiveSenders = new Map<SenderSlot, ReceiveSender>();

  get hasSendKey(): boolean {
    return this.sender.kid !== undefined;
  }

  /** True once a receive key was set for this slot (of any generation). */
  hasReceiveSlot(slot: SenderSlot): boolean {
    return this.receiveSenders.has(slot);
  }

  /** Encrypts outgoing frames with this key from now on (a new KID, counter from 0). */
  setSendKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    return this.sender.setKey(kid, baseKey);
  }

  /**
   * Sets a sender's key for the KID's slot and generation. Within the slot's newest generation it
   * replaces whatever that generation had; a newer generation becomes the slot's newest and the
   * one it replaces is dropped after the grace period; an older generation is refused.
   */
  async setReceiveKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    const parsed = parseKid(kid);
    if (!parsed) throw new SFrameError('invalid_argument', `KID ${kid} names no call slot`);
    const state = newGeneration(parsed, baseKey);
    const sender = this.receiveSenders.get(parsed.slot);
    if (!sender) {
      this.receiveSenders.set(parsed.slot, { current: state, previous: null });
    } else if (parsed.generation === sender.current.generation) {
      // The new key takes over this KID atomically when it is set; the rest go now.
      this.drop(sender.current, kid);
      sender.current = state;
    } else if (parsed.generation > sender.current.generation) {
      if (sender.previous) this.drop(sender.previous);
      const previous = sender.current;
      sender.previous = previous;
      sender.current = state;
      setTimeout(() => {
        if (sender.previous !== previous) return;
        this.drop(previous);
        sender.previous = null;
      }, PREVIOUS_EPOCH_GRACE_MS);
    } else {
      throw new SFrameError(
        'invalid_argument',
        `KID ${kid} is of generation ${parsed.generation}, older than slot ${parsed.slot}'s ` +
          `generation ${sender.current.generation}`,
      );
    }
    state.kids.add(kid);
    await this.receiver.setKey(kid, baseKey);
  }

  /**
   * clear prefix || SFrame; rejects when no send key is set, and for a frame that must not be
   * sent (no defined prefix for its codec, or shorter than its prefix).
   */
  encrypt(codec: MediaCodec, frame: Uint8Array): Promise<Bytes> {
    let length: number;
    try {
      length = prefixLength(codec, frame);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.sender.encryptAfterMetadata(frame.subarray(0, length), frame.subarray(length));
  }

  /**
   * The original frame; rejects (SFrameError) for anything that is not clear prefix || a valid
   * SFrame under a known key, so no unencrypted frame ever passes as an encrypted one.
   */
  decrypt(codec: MediaCodec, frame: Uint8Array): Promise<Bytes> {
    try {
      const length = prefixLength(codec, frame);
      const prefix = frame.subarray(0, length);
      const sframe = frame.subarray(length);
      const open = () => this.receiver.decryptAfterMetadata(prefix, sframe);
      // Most frames need no ratchet step: no extra await for them.
      return this.catchUp(decodeHeader(sframe).kid, open) ?? open();
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * A frame from a later epoch than its generation's newest key: ratchet forward to it (bounded)
   * and open it there, else null (and decrypt refuses a KID without a key as unknown).
   */
  private catchUp(kid: bigint, open: () => Promise<Bytes>): Promise<Bytes> | null {
    const parsed = parseKid(kid);
    const state = parsed && this.generationOf(parsed);
    if (!parsed || !state || parsed.epoch <= state.epoch) return null;
    if (parsed.epoch - state.epoch > MAX_RATCHET_STEPS) return null;
    const step = state.advancing.then(() => this.advance(state, parsed.epoch, open));
    state.advancing = step.then(
      () => undefined,
      () => undefined,
    );
    return step;
  }

  private generationOf({ slot, generation }: KeyId): ReceiveGeneration | null {
    const sender = this.receiveSenders.get(slot);
    if (sender?.current.generation === generation) return sender.current;
    if (sender?.previous?.generation === generation) return sender.previous;
    return null;
  }

  /**
   * Opens a frame of a later epoch under the ratcheted key, and moves the generation to that epoch
   * only once the frame authenticates: anyone can write a KID, so a forged frame must neither
   * retire the sender's current key nor leave a key behind.
   */
  private async advance(
    state: ReceiveGeneration,
    target: number,
    open: () => Promise<Bytes>,
  ): Promise<Bytes> {
    if (!state.live || target <= state.epoch) return open();
    let key = state.baseKey;
    for (let epoch = state.epoch; epoch < target; epoch++) key = await ratchetBaseKey(key);
    if (!state.live) return open();
    const kid = kidFor(state.slot, target, state.generation);
    const superseded = kidFor(state.slot, state.epoch, state.generation);
    state.kids.add(kid);
    await this.receiver.setKey(kid, key);
    let frame: Bytes;
    try {
      frame = await open();
    } catch (error) {
      // Once dropped, the drop removed this KID, or kept it for the key that replaces it.
      if (state.live) {
        state.kids.delete(kid);
        this.receiver.removeKey(kid);
      }
      throw error;
    }
    if (!state.live) return frame; // dropped meanwhile: the drop removed this KID too
    state.epoch = target;
    state.baseKey = key;
    setTimeout(() => {
      if (!state.live) return;
      this.receiver.removeKey(superseded);
      state.kids.delete(superseded);
    }, PREVIOUS_EPOCH_GRACE_MS);
    return frame;
  }

  /** Removes a generation's keys (but `keep`, which a new key is about to replace). */
  private drop(state: ReceiveGeneration, keep?: bigint): void {
    state.live = false;
    for (const kid of state.kids) if (kid !== keep) this.receiver.removeKey(kid);
    state.kids.clear();
  }
}

/**
 * The slot whose KID an incoming frame's SFrame header names, or null when the frame has no such
 * header; says nothing about whether the frame is authentic.
 */
export function senderSlotOf(codec: MediaCodec, frame: Uint8Array): SenderSlot | null {
  const length = clearPrefixLength(codec, frame);
  if (length === null) return null;
  try {
    return parseKid(decodeHeader(frame.subarray(length)).kid)?.slot ?? null;
  } catch {
    return null;
  }
}

function newGeneration({ slot, generation, epoch }: KeyId, baseKey: Uint8Array): ReceiveGeneration {
  return {
    slot,
    generation,
    epoch,
    baseKey: Uint8Array.from(baseKey),
    advancing: Promise.resolve(),
    kids: new Set(),
    live: true,
  };
}

/** The clear prefix's length; throws for a frame that may be neither sent nor accepted. */
function prefixLength(codec: MediaCodec, frame: Uint8Array): number {
  const length = clearPrefixLength(codec, frame);
  if (length === null) {
    throw new SFrameError(
      'unprotectable_frame',
      `a ${frame.length}-byte ${codec} frame has no clear prefix Parley defines`,
    );
  }
  return length;
}
