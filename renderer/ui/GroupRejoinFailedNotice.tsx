import type { RoomClient } from '../state/RoomClient';
import { Icon } from './icons';
import { IsolatedText } from './IsolatedText';
import { testIds } from './testIds';

/**
 * On the screen of a 1:1 call whose group side could not be rejoined after a reload: that it
 * could not, and that this call goes on, until dismissed or the call ends.
 */
export function GroupRejoinFailedNotice({ rooms, callId }: { rooms: RoomClient; callId: string }) {
  const failure = rooms.groupRejoinFailure.value;
  if (failure?.callId !== callId) return null;
  return (
    <div
      class="call-notice call-notice--alert"
      role="alert"
      data-testid={testIds.groupRejoinFailed}
    >
      <Icon name="people" />
      <span class="call-notice__text">
        <IsolatedText text={failure.text} />
      </span>
      <button
        class="icon-button"
        aria-label="Dismiss"
        onClick={() => rooms.dismissGroupRejoinFailure()}
      >
        <Icon name="close" />
      </button>
    </div>
  );
}
