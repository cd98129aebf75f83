/** Our microphone and camera in a group call: on or off. */
export interface OwnMediaSwitches {
  audio: boolean;
  video: boolean;
}

const KEY = 'parley.group-call-media';

/**
 * What our microphone and camera were in the group call under way, kept in the tab's session
 * storage so that a reloaded page rejoins the call with them as they were (muted stays muted).
 * Nothing secret: a call id and two switches. Session storage lives as long as the tab (or the
 * app's window), so after an app restart nothing is known and a rejoin opens them as a join does.
 */
export class GroupCallMediaMemory {
  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>) {}

  remember(callId: string, switches: OwnMediaSwitches): void {
    const { audio, video } = switches;
    this.storage.setItem(KEY, JSON.stringify({ callId, audio, video }));
  }

  /** The switches remembered for this call; null when none are (or what is kept is not ours). */
  recall(callId: string): OwnMediaSwitches | null {
    let kept: unknown;
    try {
      kept = JSON.parse(this.storage.getItem(KEY) ?? 'null');
    } catch {
      return null;
    }
    if (typeof kept !== 'object' || kept === null) return null;
    const { callId: keptFor, audio, video } = kept as Record<string, unknown>;
    if (keptFor !== callId || typeof audio !== 'boolean' || typeof video !== 'boolean') return null;
    return { audio, video };
  }

  /** The call is over for us: nothing of it is kept. */
  forget(): void {
    this.storage.removeItem(KEY);
  }
}
