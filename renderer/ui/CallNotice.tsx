import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import type { CallController } from '../state/CallController';
import { Icon } from './icons';
import { IsolatedText } from './IsolatedText';
import { testIds } from './testIds';

const calmReasons = new Set(['hangup', 'remote_hangup', 'cancelled', 'answered_elsewhere']);

/** The last call's end, in one sentence, until dismissed or replaced by the next call's. */
export function CallNotice({ calls, guard }: { calls: CallController; guard: CallIdentityGuard }) {
  const notice = calls.visibleNotice.value;
  if (!notice) return null;
  const callBack = calls.callBack.value;
  const tone = calmReasons.has(notice.reason) ? 'info' : 'alert';
  return (
    <div
      class={`call-notice call-notice--${tone}`}
      role="status"
      data-testid={testIds.callNotice}
      data-reason={notice.reason}
    >
      <Icon name={notice.reason === 'missed' ? 'missed' : 'phone'} />
      <span class="call-notice__text">
        <IsolatedText text={notice.text} />
      </span>
      {callBack && (
        <button
          class="button button--plain"
          data-testid={testIds.callNoticeCallBack}
          onClick={() => void guard.call(callBack.username, callBack.media)}
        >
          <Icon name={callBack.media === 'video' ? 'video' : 'phone'} /> Call back
        </button>
      )}
      <button class="icon-button" aria-label="Dismiss" onClick={() => calls.dismissNotice()}>
        <Icon name="close" />
      </button>
    </div>
  );
}
