/** Our microphone and camera in a group call: on or off. */
export interface OwnMediaSwitches {
  audio: boolean;
  video: boolean;
}

const KEY = 'parley.group-call-media';

type KeptIn = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

/**
 * Where the switches are kept. The desktop app: its local storage, which outlives an app restart
 * (its one window's session storage does not), so a call rejoined after a restart is still muted.
 * A web tab: its session storage, which a reload keeps and other tabs (perhaps signed in as
 * someone else in the same call) do not share.
 */
export function groupCallMediaStorage(
  host: 'desktop' | 'web',
  storages: { local: KeptIn; session: KeptIn },
): KeptIn {
  return host === 'desktop' ? storages.local : storages.session;
}

/**
 * What our microphone and camera were in the group call under way, kept so that a reloaded page
 * or a restarted app rejoins the call with them as they were (muted stays muted). Nothing secret:
 * a call id and two switches.
 */
export class GroupCallMediaMemory {
  constructor(private readonly storage: KeptIn) {}

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
