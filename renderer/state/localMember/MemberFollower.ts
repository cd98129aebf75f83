import type { LocalMember, MemberEngine, MemberSwitches } from './LocalMember';

/** What our member drives in the call it attaches to, and where its switches start. */
export interface MemberAttachment {
  engine: MemberEngine;
  switches: MemberSwitches | undefined;
}

/**
 * Keeps a LocalMember on the call under way: attached as the call starts (`attaching` says to
 * what), its self view following the inputs that feed the call, reset once the call is over.
 */
export class MemberFollower {
  /** The call the member is attached to, and the input tracks its self view shows. */
  private following: { callId: string; inputs: string } | null = null;

  constructor(
    private readonly member: LocalMember,
    private readonly selfView: (tracks: MediaStreamTrack[]) => MediaStream,
  ) {}

  /**
   * The call now (null: none) and our inputs in it (none before they open); `attaching` makes
   * what the member drives there, its self view the stream it is given.
   */
  follow(
    call: { callId: string; inputs: MediaStreamTrack[] } | null,
    attaching: (localStream: MediaStream) => MemberAttachment,
  ): void {
    if (!call) {
      if (this.following) this.member.reset();
      this.following = null;
      return;
    }
    const inputs = call.inputs.map((track) => track.id).join(' ');
    if (this.following?.callId === call.callId) {
      if (inputs !== this.following.inputs) {
        this.member.localStream.value = this.selfView(call.inputs);
      }
      this.following.inputs = inputs;
      return;
    }
    this.following = { callId: call.callId, inputs };
    const { engine, switches } = attaching(this.selfView(call.inputs));
    this.member.attach(engine, switches);
  }
}
