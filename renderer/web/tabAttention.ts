import type { CallView } from '../state/callStateMachine';

/** What the browser tab shows: its title, and whether its icon marks a ringing call. */
export interface TabAttention {
  title: string;
  ringing: boolean;
}

/**
 * The tab while nothing happens is "Parley"; while a call rings it names the caller, so a user
 * in another tab sees who is calling. The name is shown as given: the browser renders a title as
 * plain text.
 */
export function tabAttention(view: CallView): TabAttention {
  if (view.kind === 'incoming') {
    const kind = view.media === 'video' ? 'video' : 'voice';
    return { title: `${view.peer.displayName} is calling (${kind}) · Parley`, ringing: true };
  }
  return { title: 'Parley', ringing: false };
}
