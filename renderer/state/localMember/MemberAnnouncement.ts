import type { MemberMedia } from '../roomCallState';

/**
 * What we send, as the others are told it (the 1:1 call's call.media, the group call's
 * room.media): each change once, everything again on a new path or after a rejoin (the others
 * may have missed it), nothing once the call is over.
 */
export class MemberAnnouncement {
  /** What was last said (JSON), so a change nobody would see is not said. */
  private said: string | null = null;
  private ended = false;

  constructor(private readonly send: (state: MemberMedia) => void) {}

  /** Says `state` unless it was said last. */
  say(state: MemberMedia): void {
    if (this.ended) return;
    const text = JSON.stringify(state);
    if (text === this.said) return;
    this.said = text;
    this.send(state);
  }

  /** The next `say` goes out even if it repeats the last (a new path, a rejoin). */
  again(): void {
    this.said = null;
  }

  /** The call is over: nothing more is said. */
  end(): void {
    this.ended = true;
  }
}
