import type { CallMedia, IdentityChain } from '../../protocol';
import type { LocalMedia } from '../call/LocalMedia';
import type { CallMembers } from './CallMembers';
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
   * The 1:1 call's own local media, which the group call sends from now on too (through the SFU
   * once it carries the call); ending the 1:1 connection then leaves it running.
   */
  localMedia(): LocalMedia;
  /**
   * Both sides of the 1:1 call as members, handed on whole: the group call's members are this
   * object. The peer's (`members.peer`, `CallController.peer`) is the group call's member in
   * `peer.slot` (`members.peerIn`) for the rest of the call; the
   * 1:1 call keeps feeding it (what it says, its stream, the peer-to-peer worker's counts) while
   * its connection is open. Ours (`members.handOnOwn()`) is the group call's from then on (its
   * mute, camera, screen share and devices), still telling the peer (call.media) while the 1:1
   * connection carries the call.
   */
  members: CallMembers;
  /** The call moves to the SFU: the 1:1 connection no longer recovers by itself. */
  moving(): void;
  /** The SFU carries the call: the 1:1 connection closes, with no hang-up. */
  handOver(): void;
  /** Hangs up the 1:1 call (it has not moved to the SFU yet). */
  hangUp(): void;
}
