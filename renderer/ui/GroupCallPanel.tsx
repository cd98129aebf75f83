import type { CallMedia } from '../../protocol';
import { MAX_CALL_TILES } from '../state/callLayout';
import type { InviteContact } from '../state/inviteCandidates';
import type { UserSummary } from '../state/roomCallState';
import { Icon } from './icons';
import { Name } from './Name';
import { ContactChecklist, useContactChoice } from './ContactChoice';
import { testIds } from './testIds';

/**
 * Starting a group call: pick contacts (each rings on all their devices), then a voice or video
 * call; why the last group-call action failed (a refused invite, a revoked link); and whose yes
 * we wait for after knocking through a call link.
 */
export function GroupCallPanel({
  contacts,
  start,
  error,
  waitingFor,
  stopWaiting,
}: {
  contacts: readonly InviteContact[];
  start(media: CallMedia, usernames: readonly string[]): void;
  error: string | null;
  waitingFor: UserSummary | null;
  stopWaiting(): void;
}) {
  const { chosen, toggle, clear } = useContactChoice(contacts);
  // Ourselves and the people picked fill the call's places.
  const full = chosen.length >= MAX_CALL_TILES - 1;
  const startWith = (media: CallMedia) => {
    start(media, chosen);
    clear();
  };
  return (
    <section class="card group-start" data-testid={testIds.groupCallPanel}>
      <h2>Group call</h2>
      {waitingFor && (
        <div class="link-waiting" data-testid={testIds.callLinkWaiting}>
          <p class="muted" role="status">
            Waiting for <Name text={waitingFor.displayName} inline /> to let you in…
          </p>
          <button
            type="button"
            class="button button--plain"
            data-testid={testIds.callLinkStopWaitingButton}
            onClick={() => stopWaiting()}
          >
            Stop waiting
          </button>
        </div>
      )}
      {error && (
        <p class="call-screen__warning" role="alert" data-testid={testIds.groupCallError}>
          <Icon name="warning" />
          <span>{error}</span>
        </p>
      )}
      {contacts.length === 0 ? (
        <p class="muted">Add contacts to call several of them at once.</p>
      ) : (
        <>
          <p class="muted">Pick the people to call together.</p>
          <ContactChecklist
            contacts={contacts}
            chosen={chosen}
            full={full}
            toggle={toggle}
            testId={testIds.groupCallContact}
          />
          <div class="new-call__row">
            <button
              type="button"
              class="round-button round-button--accept round-button--sm"
              data-testid={testIds.groupCallAudioButton}
              aria-label="Group voice call"
              title="Group voice call"
              disabled={chosen.length === 0}
              onClick={() => startWith('audio')}
            >
              <Icon name="phone" />
            </button>
            <button
              type="button"
              class="round-button round-button--accept round-button--sm"
              data-testid={testIds.groupCallVideoButton}
              aria-label="Group video call"
              title="Group video call"
              disabled={chosen.length === 0}
              onClick={() => startWith('video')}
            >
              <Icon name="video" />
            </button>
          </div>
        </>
      )}
    </section>
  );
}
