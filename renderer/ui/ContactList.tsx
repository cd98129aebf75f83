import { useSignal } from '@preact/signals';
import { isolateName } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import type { Contact, ContactsModel } from '../state/ContactsModel';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { Name } from './Name';
import { testIds } from './testIds';

const presenceText: Record<Contact['presence'], string> = {
  online: 'Online',
  offline: 'Offline',
  in_call: 'In a call',
};

export function ContactList(props: {
  contacts: ContactsModel;
  guard: CallIdentityGuard;
  onOpen(username: string): void;
}) {
  const { contacts, guard, onOpen } = props;
  const input = useSignal('');
  const list = contacts.contacts.value;
  const error = contacts.addError.value;
  return (
    <div class="contacts">
      <form
        class="add-contact"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await contacts.add(input.value)) input.value = '';
        }}
      >
        <input
          class="input"
          data-testid={testIds.addContactInput}
          value={input.value}
          onInput={(e) => (input.value = e.currentTarget.value)}
          placeholder="Add a contact by username"
          autocapitalize="none"
          spellcheck={false}
          aria-label="Username to add"
        />
        <button
          class="icon-button icon-button--accent"
          type="submit"
          disabled={contacts.adding.value}
          data-testid={testIds.addContactButton}
          aria-label="Add contact"
          title="Add contact"
        >
          <Icon name="personAdd" />
        </button>
      </form>
      {error && (
        <p class="form-error form-error--inline" role="alert" data-testid={testIds.addContactError}>
          {error}
        </p>
      )}
      {list.length === 0 ? (
        <p class="empty muted">No contacts yet. Add someone by their username.</p>
      ) : (
        <ul class="list">
          {list.map((contact) => (
            <li
              key={contact.username}
              class="list__row"
              data-testid={testIds.contactRow(contact.username)}
              data-presence={contact.presence}
            >
              <div class="presence-avatar">
                <Avatar username={contact.username} displayName={contact.displayName} />
                <span class={`presence-dot presence-dot--${contact.presence}`} />
              </div>
              <button
                class="list__main list__open"
                data-testid={testIds.openContact(contact.username)}
                title="Safety number and verification"
                onClick={() => onOpen(contact.username)}
              >
                <strong>
                  <Name text={contact.displayName} />
                </strong>
                <span class="muted">
                  <bdi>{contact.username}</bdi> · {presenceText[contact.presence]}
                </span>
              </button>
              <button
                class="icon-button icon-button--accent"
                data-testid={testIds.contactCallAudio(contact.username)}
                aria-label={`Voice call ${isolateName(contact.displayName)}`}
                title="Voice call"
                onClick={() => void guard.call(contact.username, 'audio')}
              >
                <Icon name="phone" />
              </button>
              <button
                class="icon-button icon-button--accent"
                data-testid={testIds.contactCallVideo(contact.username)}
                aria-label={`Video call ${isolateName(contact.displayName)}`}
                title="Video call"
                onClick={() => void guard.call(contact.username, 'video')}
              >
                <Icon name="video" />
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
