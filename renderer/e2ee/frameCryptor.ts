/**
 * Encrypts and decrypts whole media frames for one call: clear prefix || SFrame(prefix as
 * metadata). One sender for every outgoing track: audio and video share the KID, so they share
 * its counter (the nonce is derived from KID and CTR only), and the receiver keeps one replay
 * window per KID across tracks. The receiver follows a sender that moved to a later epoch by
 * ratcheting its newest key forward, and keeps the previous epoch's key for a grace period so
 * frames in flight still decrypt.
 */
import { type MediaCodec, clearPrefixLength } from './clearPrefix';
import { MAX_RATCHET_STEPS, type SenderSlot, kidFor, parseKid, ratchetBaseKey } from './callKeyIds';
import type { Bytes } from './bytes';
import { AES_128_GCM_SHA256_128 } from './cipherSuites';
import { SFrameContext } from './sframeContext';
import { SFrameError } from './SFrameError';
import { decodeHeader } from './sframeHeader';
import { SFrameSender } from './sframeSender';

/** How long a receiver keeps the previous epoch's key after moving to a newer one. */
export const PREVIOUS_EPOCH_GRACE_MS = 10_000;

interface ReceiveSlot {
  epoch: number;
  baseKey: Uint8Array;
  /** Serializes ratchet steps, so concurrent frames of a new epoch derive it once. */
  advancing: Promise<void>;
}

export class FrameCryptor {
  private readonly sender = new SFrameSender(AES_128_GCM_SHA256_128);
  private readonly receiver = new SFrameContext(AES_128_GCM_SHA256_128);
  private readonly receiveSlots = new Map<SenderSlot, ReceiveSlot>();

  get hasSendKey(): boolean {
    return this.sender.kid !== undefined;
  }

  /** Encrypts outgoing frames with this key from now on (a new KID, counter from 0). */
  setSendKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    return this.sender.setKey(kid, baseKey);
  }

  /** Sets the peer's key for its slot, replacing whatever this slot had. */
  async setReceiveKey(kid: bigint, baseKey: Uint8Array): Promise<void> {
    const parsed = parseKid(kid);
    if (!parsed) throw new SFrameError('invalid_argument', `KID ${kid} names no call slot`);
    const previous = this.receiveSlots.get(parsed.slot);
    this.receiveSlots.set(parsed.slot, {
      epoch: parsed.epoch,
      baseKey: Uint8Array.from(baseKey),
      advancing: Promise.resolve(),
    });
    await this.receiver.setKey(kid, baseKey);
    if (previous && previous.epoch !== parsed.epoch) {
      this.receiver.removeKey(kidFor(parsed.slot, previous.epoch));
    }
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
      const ratchet = this.catchUp(decodeHeader(sframe).kid);
      // Most frames need no ratchet step: no extra await for them.
      if (!ratchet) return this.receiver.decryptAfterMetadata(prefix, sframe);
      return ratchet.then(() => this.receiver.decryptAfterMetadata(prefix, sframe));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** A frame from a later epoch than our newest key: ratchet forward to it (bounded), else null. */
  private catchUp(kid: bigint): Promise<void> | null {
    const parsed = parseKid(kid);
    const slot = parsed && this.receiveSlots.get(parsed.slot);
    if (!parsed || !slot || parsed.epoch <= slot.epoch) return null;
    if (parsed.epoch - slot.epoch > MAX_RATCHET_STEPS) return null; // decrypt refuses: unknown KID
    const step = slot.advancing.then(() => this.advance(parsed.slot, slot, parsed.epoch));
    slot.advancing = step.catch(() => undefined);
    return step;
  }

  private async advance(slotId: SenderSlot, slot: ReceiveSlot, target: number): Promise<void> {
    if (this.receiveSlots.get(slotId) !== slot || target <= slot.epoch) return;
    let key = slot.baseKey;
    for (let epoch = slot.epoch; epoch < target; epoch++) key = await ratchetBaseKey(key);
    await this.receiver.setKey(kidFor(slotId, target), key);
    const superseded = slot.epoch;
    slot.epoch = target;
    slot.baseKey = key;
    setTimeout(() => {
      if (this.receiveSlots.get(slotId) === slot && slot.epoch !== superseded) {
        this.receiver.removeKey(kidFor(slotId, superseded));
      }
    }, PREVIOUS_EPOCH_GRACE_MS);
  }
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
