import { isolateName } from '../../protocol';
import type { GroupCallActions, KnockingPerson } from '../state/groupCallView';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

/**
 * People who opened the call's link and wait for the creator's yes: one notice each, with "Let in"
 * and "Refuse". Shown over the call whatever panel is open, and read out as each one arrives.
 */
export function KnockRequests({
  knocks,
  admit,
}: {
  knocks: readonly KnockingPerson[];
  admit: GroupCallActions['admit'];
}) {
  return (
    <section class="knock-requests" aria-label="Asking to join" aria-live="polite">
      {knocks.map((person) => (
        <div
          key={person.username}
          class="call-notice call-notice--info"
          data-testid={testIds.knockRow}
          data-username={person.username}
        >
          <Icon name="personAdd" />
          <span class="call-notice__text">
            <Name text={person.displayName} inline /> asks to join through the call link
          </span>
          <button
            class="button button--plain"
            data-testid={testIds.knockRefuseButton}
            aria-label={`Refuse ${isolateName(person.displayName)}`}
            onClick={() => admit(person.username, false)}
          >
            Refuse
          </button>
          <button
            class="button button--primary"
            data-testid={testIds.knockAdmitButton}
            aria-label={`Let ${isolateName(person.displayName)} in`}
            onClick={() => admit(person.username, true)}
          >
            Let in
          </button>
        </div>
      ))}
    </section>
  );
}
