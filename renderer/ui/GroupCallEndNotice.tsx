import { groupCallEndText } from '../state/groupCallText';
import type { RoomClient } from '../state/RoomClient';
import { Icon } from './icons';
import { testIds } from './testIds';

/** Why the group call we were in is over, until dismissed or the next call starts. */
export function GroupCallEndNotice({ rooms }: { rooms: RoomClient }) {
  const ended = rooms.ended.value;
  const text = ended && groupCallEndText[ended.reason];
  if (!ended || !text) return null;
  return (
    <div
      class={`call-notice call-notice--${ended.reason === 'ended' ? 'info' : 'alert'}`}
      role="status"
      data-testid={testIds.groupCallEndNotice}
      data-reason={ended.reason}
    >
      <Icon name="people" />
      <span class="call-notice__text">{text}</span>
      <button class="icon-button" aria-label="Dismiss" onClick={() => rooms.dismissEnded()}>
        <Icon name="close" />
      </button>
    </div>
  );
}
