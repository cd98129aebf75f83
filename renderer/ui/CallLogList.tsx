import { isolateName } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import type { CallLogEntry, CallLogModel } from '../state/CallLogModel';
import { callBack, callBackOf, type CallBackTargets } from '../state/callLogCallBack';
import { callLogDays } from '../state/callLogDays';
import { callLogOutcomeText, callLogTitle, isMissedIncoming } from '../state/callLogText';
import { Avatar } from './Avatar';
import { Icon, type IconName } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

/** The time of day: the day is the heading the row sits under. */
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });

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

function CallLogRow({
  entry,
  callLog,
  targets,
}: {
  entry: CallLogEntry;
  callLog: CallLogModel;
  targets: CallBackTargets;
}) {
  const failed = entry.outcome !== 'answered';
  const peer = isolateName(entry.peer.displayName);
  const title = callLogTitle(entry);
  const back = callBackOf(entry);
  return (
    <li
      class="list__row"
      data-testid={testIds.callLogEntry}
      data-call-id={entry.callId}
      data-outcome={entry.outcome}
      data-direction={entry.direction}
      data-peer={entry.peer.username}
      data-duration-ms={entry.durationMs}
      data-count={entry.count}
      data-others={entry.group?.others.map((person) => person.username).join(' ')}
    >
      <Avatar username={entry.peer.username} displayName={entry.peer.displayName} />
      <div class="list__main">
        <strong
          class={failed && entry.direction === 'incoming' ? 'text-danger' : ''}
          aria-label={countLabel(entry)}
        >
          {entry.group ? (
            <span class="name name--inline call-log__name" title={title}>
              {title}
            </span>
          ) : (
            <Name text={entry.peer.displayName} inline class="call-log__name" />
          )}
          {countText(entry)}
        </strong>
        <span class="muted call-log__detail">
          <Icon name={entryIcon(entry)} class={failed ? 'icon--danger' : 'icon--ok'} />
          {entry.direction === 'outgoing' ? 'Outgoing' : 'Incoming'}
          {entry.group ? ' group ' : ' '}
          {entry.media === 'video' ? 'video' : 'voice'} · {callLogOutcomeText(entry)}
        </span>
      </div>
      <time class="muted call-log__time" dateTime={new Date(entry.startedAt).toISOString()}>
        {timeFormat.format(entry.startedAt)}
      </time>
      <button
        class="icon-button icon-button--accent"
        data-testid={testIds.callLogCallBack}
        aria-label={back.label}
        title={back.title}
        onClick={() => void callBack(entry, targets)}
      >
        <Icon name={entry.media === 'video' ? 'video' : 'phone'} />
      </button>
      <button
        class="icon-button"
        data-testid={testIds.callLogRemove}
        aria-label={`Remove this ${entry.group ? 'group call' : `call with ${peer}`} from your call log`}
        title="Remove from call log"
        disabled={callLog.changing.value}
        onClick={() => void callLog.remove(entry.callId)}
      >
        <Icon name="close" />
      </button>
    </li>
  );
}

/** The log by day ("Today", "Yesterday", ...), each call with call back and remove. */
export function CallLogList({
  callLog,
  guard,
  callGroup,
}: {
  callLog: CallLogModel;
  /** Calls back: the same identity checks as any call. */
  guard: CallIdentityGuard;
  /** Calls a group back: a new group call inviting the same people. */
  callGroup: CallBackTargets['callGroup'];
}) {
  const targets: CallBackTargets = {
    callPerson: (username, media) => guard.call(username, media),
    callGroup,
  };
  const entries = callLog.entries.value;
  const error = callLog.error.value;
  const alert = error && (
    <p class="form-error form-error--inline" role="alert" data-testid={testIds.callLogError}>
      {error}
    </p>
  );
  if (entries.length === 0) {
    return (
      <div class="contacts">
        {alert}
        <p class="empty muted">No calls yet.</p>
      </div>
    );
  }
  return (
    <div class="contacts">
      {alert}
      <ul class="list">
        {callLogDays(entries, { now: Date.now() }).map((day) => (
          <li
            key={day.day}
            class="call-log__day"
            data-testid={testIds.callLogDay}
            data-heading={day.heading}
          >
            <h3 class="call-log__heading">{day.heading}</h3>
            <ul class="call-log__entries">
              {day.entries.map((entry) => (
                <CallLogRow key={entry.callId} entry={entry} callLog={callLog} targets={targets} />
              ))}
            </ul>
          </li>
        ))}
      </ul>
      <div class="call-log__footer">
        <button
          class="button button--plain"
          data-testid={testIds.callLogClear}
          disabled={callLog.changing.value}
          onClick={() => {
            const question =
              'Clear your call log? Every call goes from the log on all your devices. The people you called keep theirs.';
            if (window.confirm(question)) void callLog.clear();
          }}
        >
          Clear call log
        </button>
      </div>
    </div>
  );
}
