import type { CallMedia, IdentityChain } from '../../protocol';
import type { ActiveCall } from './ActiveCall';
import type { UserSummary } from './roomCallState';

/** The other party of a 1:1 call, as the group call it grows into names a member. */
export interface GrowingCallPeer {
  slot: number;
  user: UserSummary;
  deviceId: string;
  identity: IdentityChain;
}

/**
 * A 1:1 call under way, as the group call it grows into takes it over (docs/protocol.md "Members,
 * slots and the path"): the same call, its pair in slots 0 (caller) and 1 (callee). Its
 * peer-to-peer connection carries the media until the SFU does, so nobody hears a gap.
 */
export interface GrowingCall {
  callId: string;
  media: CallMedia;
  ownSlot: number;
  peer: GrowingCallPeer;
  /**
   * The 1:1 call itself, taken on whole by the group call (which holds it from then on): its
   * members and its one local media, sent through the SFU too once that carries the call; the 1:1
   * connection closing then leaves the camera and microphone running. The peer's member
   * (`members.peer`, `CallController.peer`) is the group call's member in `peer.slot`
   * (`members.peerIn`) for the rest of the call; the 1:1 call keeps feeding it (what it says, its
   * stream, the peer-to-peer worker's counts) while its connection is open. Ours
   * (`members.handOnOwn()`) is the group call's from then on (its mute, camera, screen share and
   * devices), still telling the peer (call.media) while the 1:1 connection carries the call.
   */
  activeCall: ActiveCall;
  /** The call moves to the SFU: the 1:1 connection no longer recovers by itself. */
  moving(): void;
  /** The SFU carries the call: the 1:1 connection closes, with no hang-up. */
  handOver(): void;
  /** Hangs up the 1:1 call (it has not moved to the SFU yet). */
  hangUp(): void;
}
