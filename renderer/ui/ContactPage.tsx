import { isolateName, type CallMedia } from '../../protocol';
import type { CallIdentityGuard } from '../identity/CallIdentityGuard';
import type { ContactPageModel } from '../identity/ContactPageModel';
import type { PinsModel } from '../identity/PinsModel';
import type { SafetyNumbers } from '../identity/SafetyNumbers';
import type { Contact, ContactsModel } from '../state/ContactsModel';
import { Avatar } from './Avatar';
import { Icon } from './icons';
import { Name } from './Name';
import { SafetyNumberView } from './SafetyNumberView';
import { testIds } from './testIds';

export interface ContactPageProps {
  contact: Contact;
  page: ContactPageModel;
  pins: PinsModel;
  safetyNumbers: SafetyNumbers;
  guard: CallIdentityGuard;
  contacts: ContactsModel;
}

/**
 * One contact: the safety number to compare with them, marking them verified, and removing or
 * blocking them (each once the user confirms).
 */
export function ContactPage({
  contact,
  page,
  pins,
  safetyNumbers,
  guard,
  contacts,
}: ContactPageProps) {
  const { username, displayName, identityKey } = contact;
  const blocked = contacts.isBlocked(username);
  const name = isolateName(displayName);
  const toggleBlocked = () => {
    const question = blocked
      ? `Unblock ${name}? Their calls will ring again, and they will see when you are online if you have each other as contacts.`
      : `Block ${name}? Their calls will not ring on any of your devices (they hear that you are busy), and they will no longer see when you are online. They are not told that you blocked them.`;
    if (window.confirm(question)) void contacts.setBlocked(username, !blocked);
  };
  const remove = async () => {
    const question = `Remove ${name} from your contacts? They will no longer see when you are online. You can add them again later.`;
    if (window.confirm(question) && (await contacts.remove(username))) page.close();
  };
  const verified = pins.isVerified(username, identityKey);
  const changed = pins.identityStatus(username, identityKey) === 'changed';
  const digits = safetyNumbers.numberWith({ username, identityKey });
  const call = (media: CallMedia) => void guard.call(username, media);
  return (
    <section class="card contact-page" data-testid={testIds.screenContact}>
      <header class="contact-page__header">
        <Avatar username={username} displayName={displayName} />
        <div class="list__main">
          <strong>
            <Name text={displayName} />
          </strong>
          <span class="muted">
            <bdi>{username}</bdi>
          </span>
        </div>
        {verified && (
          <span class="chip chip--ok" data-testid={testIds.contactVerified}>
            <Icon name="verified" /> Verified
          </span>
        )}
        {blocked && (
          <span class="chip" data-testid={testIds.contactBlocked}>
            Blocked
          </span>
        )}
        <button class="icon-button" aria-label="Close" title="Close" onClick={() => page.close()}>
          <Icon name="close" />
        </button>
      </header>
      {changed && (
        <p class="form-error" role="alert">
          <Name text={displayName} inline />
          ’s safety number has changed since you first saw it. Compare it again before you mark it
          verified.
        </p>
      )}
      <h2>Safety number</h2>
      <SafetyNumberView digits={digits} />
      <p class="muted" data-testid={testIds.safetyNumberInstruction}>
        Compare these numbers with the ones on <Name text={displayName} inline />
        ’s screen, in person or on a call. If they match, nobody can sit between your calls.
      </p>
      {page.error.value && (
        <p class="form-error" role="alert">
          {page.error.value}
        </p>
      )}
      <div class="contact-page__actions">
        <button
          class={verified ? 'button button--toggled' : 'button button--primary'}
          data-testid={testIds.verifyContactButton}
          aria-pressed={verified ? 'true' : 'false'}
          title={verified ? 'Mark as not verified' : 'The numbers match on both screens'}
          onClick={() => void page.toggleVerified(username, identityKey)}
        >
          {verified ? 'Verified' : 'Mark as verified'}
        </button>
        <button
          class="round-button round-button--accept round-button--sm"
          aria-label={`Voice call ${isolateName(displayName)}`}
          title="Voice call"
          onClick={() => call('audio')}
        >
          <Icon name="phone" />
        </button>
        <button
          class="round-button round-button--accept round-button--sm"
          aria-label={`Video call ${isolateName(displayName)}`}
          title="Video call"
          onClick={() => call('video')}
        >
          <Icon name="video" />
        </button>
      </div>
      {contacts.actionError.value && (
        <p class="form-error" role="alert" data-testid={testIds.contactActionError}>
          {contacts.actionError.value}
        </p>
      )}
      <div class="contact-page__actions">
        <button
          class="button"
          data-testid={testIds.blockContactButton}
          aria-pressed={blocked ? 'true' : 'false'}
          onClick={toggleBlocked}
        >
          {blocked ? 'Unblock' : 'Block'}
        </button>
        <button
          class="button"
          data-testid={testIds.removeContactButton}
          onClick={() => void remove()}
        >
          Remove contact
        </button>
      </div>
    </section>
  );
}
