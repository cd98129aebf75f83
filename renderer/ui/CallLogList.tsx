import { isolateName } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import type { CallLogEntry, CallLogModel } from '../state/CallLogModel';
import { callLogOutcomeText, isMissedIncoming } from '../state/callLogText';
import { Avatar } from './Avatar';
import { Icon, type IconName } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

function whenText(ms: number): string {
  const date = new Date(ms);
  const sameDay = new Date().toDateString() === date.toDateString();
  return sameDay
    ? date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })
    : date.toLocaleDateString([], { day: 'numeric', month: 'short' });
}

/** "(3)" after the name of an entry that stands for several calls, as phone call logs show it. */
function countText(entry: CallLogEntry): string {
  return entry.count > 1 ? ` (${entry.count})` : '';
}

/** What a screen reader says for the count: "3 missed calls". */
function countLabel(entry: CallLogEntry): string | undefined {
  if (entry.count <= 1) return undefined;
  const kind = entry.direction === 'incoming' ? 'missed calls' : 'calls';
  return `${isolateName(entry.peer.displayName)}, ${entry.count} ${kind}`;
}

function entryIcon(entry: CallLogEntry): IconName {
  if (isMissedIncoming(entry)) return 'missed';
  return entry.direction === 'outgoing' ? 'outgoing' : 'incoming';
}

export function CallLogList({
  callLog,
  guard,
}: {
  callLog: CallLogModel;
  /** Calls back: the same identity checks as any call. */
  guard: CallIdentityGuard;
}) {
  const entries = callLog.entries.value;
  if (entries.length === 0) return <p class="empty muted">No calls yet.</p>;
  return (
    <ul class="list">
      {entries.map((entry) => {
        const failed = entry.outcome !== 'answered';
        return (
          <li
            key={entry.callId}
            class="list__row"
            data-testid={testIds.callLogEntry}
            data-outcome={entry.outcome}
            data-direction={entry.direction}
            data-peer={entry.peer.username}
            data-duration-ms={entry.durationMs}
            data-count={entry.count}
          >
            <Avatar username={entry.peer.username} displayName={entry.peer.displayName} />
            <div class="list__main">
              <strong
                class={failed && entry.direction === 'incoming' ? 'text-danger' : ''}
                aria-label={countLabel(entry)}
              >
                <Name text={entry.peer.displayName} inline class="call-log__name" />
                {countText(entry)}
              </strong>
              <span class="muted call-log__detail">
                <Icon name={entryIcon(entry)} class={failed ? 'icon--danger' : 'icon--ok'} />
                {entry.direction === 'outgoing' ? 'Outgoing' : 'Incoming'}{' '}
                {entry.media === 'video' ? 'video' : 'voice'} · {callLogOutcomeText(entry)}
              </span>
            </div>
            <time class="muted call-log__time" dateTime={new Date(entry.startedAt).toISOString()}>
              {whenText(entry.startedAt)}
            </time>
            <button
              class="icon-button icon-button--accent"
              data-testid={testIds.callLogCallBack}
              aria-label={`Call ${isolateName(entry.peer.displayName)} back (${entry.media === 'video' ? 'video' : 'voice'})`}
              title="Call back"
              onClick={() => void guard.call(entry.peer.username, entry.media)}
            >
              <Icon name={entry.media === 'video' ? 'video' : 'phone'} />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
