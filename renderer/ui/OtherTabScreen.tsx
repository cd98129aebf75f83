import type { SessionModel } from '../state/SessionModel';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

/**
 * Another tab of this browser uses the account, as WhatsApp Web says it: one tab at a time holds
 * the connection, and "Use here" moves it to this one without signing in again. The same when the
 * server moved the device to a newer connection of its own.
 */
export function OtherTabScreen({ session }: { session: SessionModel }) {
  const takingOver = session.status.value === 'taking_over';
  const callWith = session.callEndedByOtherTab.value;
  return (
    <main class="first-run" data-testid={testIds.screenOtherTab}>
      <div class="first-run__card">
        <div class="brand">
          <div class="brand__mark">
            <Icon name="devices" />
          </div>
          {session.usedElsewhere.value ? (
            <>
              <h1>Parley is open somewhere else</h1>
              <p class="muted">
                This device connected again from another window or tab, so this one stopped. Use it
                here to move it back.
              </p>
            </>
          ) : (
            <>
              <h1>Parley is open in another tab</h1>
              <p class="muted">
                Parley works in one tab of this browser at a time. Use it here to move it from the
                other tab.
              </p>
            </>
          )}
        </div>
        {callWith !== null && (
          <p class="form-error" role="alert" data-testid={testIds.otherTabCallEnded}>
            Your call with <Name text={callWith} inline /> ended because Parley was opened in
            another tab.
          </p>
        )}
        <button
          class="button button--primary"
          data-testid={testIds.useHereButton}
          disabled={takingOver}
          onClick={() => void session.useHere()}
        >
          {takingOver ? 'Moving Parley here…' : 'Use here'}
        </button>
      </div>
    </main>
  );
}
