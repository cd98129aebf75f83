import type { CallController } from '../state/CallController';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

/** A call that comes in during a call: who it is, and the two choices WhatsApp gives. */
export function CallWaitingBanner({ calls }: { calls: CallController }) {
  const waiting = calls.waiting.call.value;
  if (!waiting) return null;
  const kind = waiting.media === 'video' ? 'Video call' : 'Voice call';
  return (
    <div
      class="call-notice call-notice--info call-waiting"
      role="alert"
      data-testid={testIds.callWaitingBanner}
    >
      <Avatar username={waiting.peer.username} displayName={waiting.peer.displayName} size="sm" />
      <span class="call-notice__text">
        <Name text={waiting.peer.displayName} inline /> is calling · {kind}
      </span>
      <button
        class="button button--plain"
        data-testid={testIds.callWaitingDecline}
        onClick={() => calls.declineWaiting()}
      >
        Decline
      </button>
      <button
        class="button button--primary"
        data-testid={testIds.callWaitingEndAndAccept}
        onClick={() => void calls.endAndAccept(waiting.media)}
      >
        <Icon name={waiting.media === 'video' ? 'video' : 'phone'} /> End and accept
      </button>
    </div>
  );
}
