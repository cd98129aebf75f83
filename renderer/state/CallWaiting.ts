import { signal } from '@preact/signals';
import type { CallMedia, ServerMessageOf } from '../../protocol';
import type { IceCandidateWire } from '../call/CallEngine';
import type { SignalingClient } from '../signaling/SignalingClient';
import type { VerifiedInvite } from './CallEncryption';
import type { CallPeer } from './callStateMachine';

/** A call ringing for us while we talk in another one, as the in-call banner shows it. */
export interface WaitingCall {
  callId: string;
  peer: CallPeer;
  media: CallMedia;
}

/** How a waiting call ended without being taken: `missed` when nobody chose to end it. */
export type WaitingCallEnd = 'missed' | 'declined' | 'answered_elsewhere';

export interface CallWaitingDeps {
  signaling: Pick<SignalingClient, 'notify'>;
  /** Verifies the caller exactly as for a call that rings (throws when it does not verify). */
  verify(message: ServerMessageOf<'call.invite'>): Promise<VerifiedInvite>;
  onEnded(callId: string, how: WaitingCallEnd): void;
}

/** A waiting call handed over to ring or be answered, with the caller's candidates so far. */
export interface TakenWaitingCall {
  invite: VerifiedInvite;
  candidates: (IceCandidateWire | null)[];
}

/**
 * Call waiting, the callee's side (docs/protocol.md "Busy, call waiting and glare"): one call
 * that comes in while we are in another is verified like any call, then shown in a banner
 * instead of ringing over the call. The user declines it or takes it (the current call is hung
 * up first); if nothing is done the server ends it, as busy for the caller.
 */
export class CallWaiting {
  readonly call = signal<WaitingCall | null>(null);
  private invite: VerifiedInvite | null = null;
  private verifying: string | null = null;
  private candidates: (IceCandidateWire | null)[] = [];

  constructor(private readonly deps: CallWaitingDeps) {}

  /** An invite while we are in another call; one waiting call at a time (the server agrees). */
  async arrive(message: ServerMessageOf<'call.invite'>): Promise<void> {
    if (this.verifying || this.invite) return;
    const { callId, from } = message;
    this.verifying = callId;
    let verified: VerifiedInvite | null = null;
    try {
      verified = await this.deps.verify(message);
    } catch (error) {
      console.warn('parley: waiting call refused', error);
    }
    if (this.verifying !== callId) return; // it ended meanwhile
    this.verifying = null;
    if (!verified) {
      this.deps.signaling.notify('call.decline', { callId, reason: 'identity_failed' });
      return;
    }
    this.invite = verified;
    this.call.value = {
      callId,
      peer: { username: from.username, displayName: from.displayName },
      media: message.media,
    };
    this.deps.signaling.notify('call.ringing', { callId });
  }

  /** Keeps the caller's candidate of the waiting call; false when it is not for that call. */
  keepCandidate(callId: string, candidate: IceCandidateWire | null): boolean {
    if (!this.isWaiting(callId)) return false;
    this.candidates.push(candidate);
    return true;
  }

  /** The server ended this call; true when it was the waiting one (now gone). */
  ended(callId: string, how: WaitingCallEnd): boolean {
    if (!this.isWaiting(callId)) return false;
    const shown = this.invite !== null;
    this.clear();
    if (shown) this.deps.onEnded(callId, how);
    return true;
  }

  /** The user declines the waiting call; the current one goes on. */
  decline(): void {
    const waiting = this.call.value;
    if (!waiting) return;
    this.deps.signaling.notify('call.decline', { callId: waiting.callId });
    this.clear();
    this.deps.onEnded(waiting.callId, 'declined');
  }

  /** Hands the waiting call over to ring or be answered now that the other call is over. */
  take(): TakenWaitingCall | null {
    const invite = this.invite;
    if (!invite) return null;
    const taken = { invite, candidates: this.candidates };
    this.clear();
    return taken;
  }

  /** Forgets everything: signed out, or the app is shutting the calls down. */
  reset(): void {
    this.clear();
  }

  private isWaiting(callId: string): boolean {
    return this.verifying === callId || this.invite?.message.callId === callId;
  }

  private clear(): void {
    this.invite = null;
    this.verifying = null;
    this.candidates = [];
    this.call.value = null;
  }
}
