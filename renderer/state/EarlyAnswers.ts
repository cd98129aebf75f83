import type { KeyShare, ServerMessageOf } from '../../protocol';
import type { IceCandidateWire } from '../call/CallEngine';
import type { CallBaseKeys } from '../keys/keyDerivation';

/** The early answer (`call.preconnect`) the caller's connection took, as it was verified. */
export interface TakenEarlyAnswer {
  deviceId: string;
  sdp: string;
  keyShare: KeyShare;
  /**
   * The keys agreed with that device: the worker decrypts with them at once, and encrypts only
   * from the accept on (a send key is never replaced; another device's accept brings its own).
   */
  keys: CallBaseKeys;
}

/**
 * The caller's side of a call that connects while it rings: which ringing device's early answer
 * its connection took (only the first that verifies), and the candidates of the other devices,
 * kept until one of them answers.
 */
export class EarlyAnswers {
  private taken: TakenEarlyAnswer | null = null;
  private choosing = false;
  private readonly kept = new Map<string, (IceCandidateWire | null)[]>();

  /** True when this early answer is the one to verify and take (none taken or being taken). */
  claim(): boolean {
    if (this.taken || this.choosing) return false;
    this.choosing = true;
    return true;
  }

  /** The claimed early answer failed verification: the next one may be taken. */
  release(): void {
    this.choosing = false;
  }

  /** The connection took this device's early answer; returns the candidates kept for it. */
  take(
    message: ServerMessageOf<'call.preconnect'>,
    keys: CallBaseKeys,
  ): (IceCandidateWire | null)[] {
    this.choosing = false;
    const { deviceId, sdp, keyShare } = message;
    this.taken = { deviceId, sdp, keyShare, keys };
    return this.candidatesOf(deviceId);
  }

  get takenAnswer(): TakenEarlyAnswer | null {
    return this.taken;
  }

  /** A pre-connecting device's candidate: true when it belongs to the taken answer (apply it). */
  onCandidate(deviceId: string, candidate: IceCandidateWire | null): boolean {
    if (this.taken?.deviceId === deviceId) return true;
    const list = this.kept.get(deviceId) ?? [];
    list.push(candidate);
    this.kept.set(deviceId, list);
    return false;
  }

  /** The candidates kept for this device, handed over once (its answer is now applied). */
  candidatesOf(deviceId: string): (IceCandidateWire | null)[] {
    const list = this.kept.get(deviceId) ?? [];
    this.kept.delete(deviceId);
    return list;
  }

  /**
   * Whether an accept repeats the taken early answer exactly (same device, SDP and share): then
   * its share was verified when it came, and must not be checked again (it would be a replay).
   */
  repeatsTaken(accept: ServerMessageOf<'call.accept'>): 'same' | 'other_device' | 'changed' {
    const taken = this.taken;
    if (!taken || taken.deviceId !== accept.deviceId) return 'other_device';
    const a = taken.keyShare;
    const b = accept.keyShare;
    const same =
      taken.sdp === accept.sdp &&
      a.ephemeralKey === b.ephemeralKey &&
      a.fingerprint === b.fingerprint &&
      a.signedAt === b.signedAt &&
      a.signature === b.signature;
    return same ? 'same' : 'changed';
  }

  reset(): void {
    this.taken = null;
    this.choosing = false;
    this.kept.clear();
  }
}
