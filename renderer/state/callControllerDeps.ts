import type { CallMedia } from '../../protocol';
import type { CallEngine, CallEngineEvents } from '../call/CallEngine';
import type { LocalMedia, LocalMediaEvents } from '../call/LocalMedia';
import type { KeyExchangeHost } from '../keys/CallKeyExchange';
import type { SignalingClient } from '../signaling/SignalingClient';
import type { WaitingCallEnd } from './CallWaiting';
import type { CallPeer } from './callStateMachine';

/** What the 1:1 call layer (CallController and its sides) needs of the app. */
export interface CallControllerDeps {
  signaling: Pick<SignalingClient, 'request' | 'notify' | 'checkConnection'>;
  /** Opens the camera and microphone of a call (microphone only for an audio call). */
  openMedia(media: CallMedia, events: LocalMediaEvents): Promise<LocalMedia>;
  /** The connection of a call sending `local` (the call's media, opened for `media`). */
  openEngine(media: CallMedia, local: LocalMedia, events: CallEngineEvents): CallEngine;
  /**
   * A connection for an incoming call that connects while it rings, sending `local` (no camera or
   * microphone open yet); null when this call must not (a stranger's call where no relay would
   * hide our address). Without it, calls connect on accept.
   */
  preconnectEngine?(
    peerUsername: string,
    local: LocalMedia,
    events: CallEngineEvents,
  ): CallEngine | null;
  /** Signs our key shares and keeps the contact pins the peer's root is checked against. */
  identity: KeyExchangeHost;
  /** The peer's display name when we already know it (contacts). */
  knownPeer(username: string): CallPeer | null;
  /** Asks the server for a user's display name; null when there is no such user. */
  lookupPeer(username: string): Promise<CallPeer | null>;
  onCallEnded(): void;
  /** A waiting call ended without being taken (the call log has it now). */
  onWaitingCallEnded(callId: string, how: WaitingCallEnd): void;
  /** A microphone or camera track of the call ended by itself (device unplugged). */
  onLocalTrackEnded?(kind: 'audio' | 'video'): void;
  /**
   * A call this page rejoined after a reload is back (the peer's answer verified and applied): a
   * call that grew into a group call takes its group side back from here.
   */
  onRejoined?(callId: string): void;
  /** The other party of the call came back after losing its keys (its call.rejoin verified). */
  onPeerRejoined?(callId: string): void;
  now(): number;
}
