import type { SenderFrameCounts } from '../../e2ee/worker/messages';
import { RemoteMember } from './RemoteMember';

/**
 * The other devices of a group call, one RemoteMember each, by slot: joined through the SFU, or
 * a grown call's peer, handed on whole from the 1:1 call.
 */
export class RemoteMembers {
  private readonly bySlot = new Map<number, RemoteMember>();

  /** A member joined (again: the one already kept stays). */
  joined(slot: number): RemoteMember {
    const known = this.bySlot.get(slot);
    if (known) return known;
    const member = new RemoteMember('sfu');
    this.bySlot.set(slot, member);
    return member;
  }

  /** The 1:1 call's peer, in `slot`: the same member for the rest of the call. */
  handedOn(slot: number, member: RemoteMember): void {
    this.bySlot.set(slot, member);
  }

  /** A member left: nothing of it stays. */
  left(slot: number): void {
    this.bySlot.get(slot)?.reset();
    this.bySlot.delete(slot);
  }

  get(slot: number): RemoteMember | undefined {
    return this.bySlot.get(slot);
  }

  /** The SFU worker's counts by sender: each to its member (a slot of nobody's is ignored). */
  framesCounted(senders: readonly SenderFrameCounts[], now: number): void {
    for (const sender of senders) this.bySlot.get(sender.slot)?.framesCounted('sfu', sender, now);
  }

  /** The SFU path was made again: nothing of anyone's is decoded through it yet. */
  pathStartsOver(): void {
    for (const member of this.bySlot.values()) member.pathStartsOver('sfu');
  }
}
