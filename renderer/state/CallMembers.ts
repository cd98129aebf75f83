import type { CallMediaControls } from './CallMediaControls';
import type { LocalMember, MemberChannel, MemberEngine } from './localMember/LocalMember';
import { RemoteMember } from './remoteMembers/RemoteMember';
import { RemoteMembers } from './remoteMembers/RemoteMembers';

/** What we send, as call.media tells the peer. */
export type PeerMediaState = { audio: boolean; video: boolean };

/**
 * The members of one call: ours (our switches and what we send) and the others', by slot. A 1:1
 * call's are ours (told to the peer as call.media) and the peer's (what it sends and says, its
 * frames), the peer in no slot yet; a group call's are ours (`Own`: a plain LocalMember there) and
 * each other member's (a call entered as a group call had no peer: its `peer` never takes a
 * slot). A 1:1 call that grows is the group call's whole, the same object: the peer takes its
 * slot (`peerIn`) and both go on as the same members; the next 1:1 call gets a pair of its own
 * (`next`).
 */
export class CallMembers<Own extends LocalMember = CallMediaControls> {
  /** The peer hears what we send through this (call.media) while our connection carries the call. */
  private channel: MemberChannel | null = null;
  /** The other members by slot (a grown call's peer among them once it takes its slot). */
  readonly remote = new RemoteMembers();

  constructor(
    readonly own: Own,
    readonly peer: RemoteMember = new RemoteMember('p2p'),
  ) {}

  /** The call grew: the peer is the member in `slot` for the rest of the call. */
  peerIn(slot: number): void {
    this.remote.handedOn(slot, this.peer);
  }

  /**
   * Our member drives `engine` now, and the peer hears what we send through `tellPeer` (once per
   * call: a later engine, a rejoin's, keeps the same channel). The pair layer's, while the group
   * call does not hold the call (ActiveCall.attachPair).
   */
  attach(this: CallMembers, engine: MemberEngine, tellPeer: (state: PeerMediaState) => void): void {
    this.own.attach(engine);
    this.channel ??= this.own.tellPeerThrough(tellPeer);
  }

  /** Tells the peer what we send now, even unchanged (it rejoined and may have missed it). */
  tellPeerAgain(): void {
    this.channel?.tellAgain();
  }

  /** A camera that could not be opened shows to the peer as a camera that is off. */
  announceMissingCamera(this: CallMembers): void {
    if (this.channel) this.own.announceMissingCamera(this.channel);
  }

  /**
   * The call is over here: the peer hears nothing more from us. The next call's pair: our member
   * reset and kept, or a new one (`newOwn`) when this one goes on with the group call that still
   * holds the call (`ownGoesOn`; it resets our member when that is over); the peer is always a new
   * member, this one may go on in the group call.
   */
  next(this: CallMembers, ownGoesOn: boolean, newOwn: () => CallMediaControls): CallMembers {
    this.channel?.end();
    this.channel = null;
    if (ownGoesOn) return new CallMembers(newOwn());
    this.own.reset();
    return new CallMembers(this.own);
  }
}
