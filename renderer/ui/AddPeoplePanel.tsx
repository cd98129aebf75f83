import { MAX_CALL_TILES } from '../state/callLayout';
import type { InviteContact } from '../state/inviteCandidates';
import { ContactChecklist, useContactChoice } from './ContactChoice';
import { IsolatedText } from './IsolatedText';
import { testIds } from './testIds';

/** What adding people to a 1:1 call needs: who can be picked, how to ring them, what failed. */
export interface AddPeople {
  /** The contacts who can be added (blocked people left out). */
  contacts: readonly InviteContact[];
  /** Rings them: the call becomes a group call, with no new ring for the two already in it. */
  invite(usernames: readonly string[]): void;
  /** Why the last attempt was refused, in words; null when it was not. */
  error: string | null;
}

/**
 * Adding people to a 1:1 call (as in WhatsApp): contacts to pick, besides the one we talk with;
 * ringing them turns the call into a group call on both our screens.
 */
export function AddPeoplePanel({ peer, add }: { peer: string; add: AddPeople }) {
  const candidates = add.contacts.filter((c) => c.username !== peer);
  const { chosen, toggle, clear } = useContactChoice(candidates);
  const places = MAX_CALL_TILES - 2;
  return (
    <section
      class="card group-panel add-people"
      data-testid={testIds.addPeoplePanel}
      aria-label="Add people"
    >
      <h2>Add people</h2>
      {candidates.length === 0 ? (
        <p class="muted">No other contact to add.</p>
      ) : (
        <ContactChecklist
          contacts={candidates}
          chosen={chosen}
          full={chosen.length >= places}
          toggle={toggle}
          testId={testIds.inviteContact}
        />
      )}
      {add.error && (
        <p class="call-notice call-notice--alert" role="alert" data-testid={testIds.addPeopleError}>
          <IsolatedText text={add.error} />
        </p>
      )}
      <button
        class="button button--primary"
        data-testid={testIds.addPeopleSendButton}
        disabled={chosen.length === 0}
        onClick={() => {
          add.invite(chosen);
          clear();
        }}
      >
        {chosen.length > 1 ? `Add ${chosen.length} people` : 'Add'}
      </button>
    </section>
  );
}
