import { useSignal } from '@preact/signals';
import type { InviteContact } from '../state/inviteCandidates';
import { Name } from './Name';

/**
 * The contacts picked from those offered: a pick no longer offered (joined, or rung meanwhile)
 * drops out by itself.
 */
export function useContactChoice(offered: readonly InviteContact[]) {
  const picked = useSignal<readonly string[]>([]);
  const chosen = picked.value.filter((u) => offered.some((c) => c.username === u));
  return {
    chosen,
    toggle(username: string) {
      picked.value = chosen.includes(username)
        ? chosen.filter((u) => u !== username)
        : [...chosen, username];
    },
    clear() {
      picked.value = [];
    },
  };
}

/** A checkbox per contact offered; once `full`, only the chosen ones can change. */
export function ContactChecklist({
  contacts,
  chosen,
  full,
  toggle,
  testId,
}: {
  contacts: readonly InviteContact[];
  chosen: readonly string[];
  full: boolean;
  toggle(username: string): void;
  testId(username: string): string;
}) {
  return (
    <ul class="list invite-list">
      {contacts.map((contact) => {
        const checked = chosen.includes(contact.username);
        return (
          <li key={contact.username}>
            <label class="invite-list__row">
              <input
                type="checkbox"
                data-testid={testId(contact.username)}
                checked={checked}
                disabled={!checked && full}
                onChange={() => toggle(contact.username)}
              />
              <Name text={contact.displayName} />
            </label>
          </li>
        );
      })}
    </ul>
  );
}
