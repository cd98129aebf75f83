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
 * A 1:1 call under way, as the group call it grows into attaches to it (docs/protocol.md "Members,
 * slots and the path"): the same call, its pair in slots 0 (caller) and 1 (callee). Its
 * peer-to-peer connection carries the media until the SFU does, so nobody hears a gap.
 */
export interface GrowingCall {
  callId: string;
  media: CallMedia;
  ownSlot: number;
  peer: GrowingCallPeer;
  /**
   * The call itself, which the group call holds too from when it grows (ActiveCall.hold('room')):
   * the same members and the same local media, sent through the SFU too once that carries it. The
   * peer's member (`members.peer`) is the group call's member in `peer.slot` (`members.peerIn`);
   * the 1:1 call keeps feeding it while its connection is open. Ours is the group call's as soon
   * as the group call holds the call (its mute, camera, screen share and devices), still telling
   * the peer (call.media) while the 1:1 connection carries the call. The call's paths retire the
   * 1:1 connection (the pair layer hears it through `paths.p2pRetires`).
   */
  activeCall: ActiveCall;
  /** The pair layer lets go of the call: its 1:1 connection closes, with no hang-up. */
  detach(): void;
  /** Hangs up the 1:1 call (it has not moved to the SFU yet). */
  hangUp(): void;
  /**
   * Our camera turned on while the 1:1 connection carries the call: opened into the call's media
   * (every path sends it, the SFU's too once there is one) and offered over the 1:1 connection
   * (call.offer), as in a 1:1 call. Throws MediaAccessError when the camera cannot open.
   */
  startVideo(): Promise<void>;
}
