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
  private ownHandedOn = false;
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
   * call: a later engine, a rejoin's, keeps the same channel). Not once our member is handed on:
   * the group call drives it then.
   */
  attach(this: CallMembers, engine: MemberEngine, tellPeer: (state: PeerMediaState) => void): void {
    if (this.ownHandedOn) return;
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

  /** The call grew: our member is the group call's from now on, its camera the group call's. */
  handOnOwn(): Own {
    this.ownHandedOn = true;
    return this.own;
  }

  /** Whether our member went on to the group call this call grew into. */
  get ownIsHandedOn(): boolean {
    return this.ownHandedOn;
  }

  /**
   * The call is over here: the peer hears nothing more from us. The next call's pair: our member
   * reset and kept, or a new one (`newOwn`) when this one went on with the group call (which resets
   * it when that is over); the peer is always a new member, this one may go on in the group call.
   */
  next(this: CallMembers, newOwn: () => CallMediaControls): CallMembers {
    this.channel?.end();
    this.channel = null;
    if (this.ownHandedOn) return new CallMembers(newOwn());
    this.own.reset();
    return new CallMembers(this.own);
  }
}
