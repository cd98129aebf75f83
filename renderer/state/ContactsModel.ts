import { signal } from '@preact/signals';
import { Username, type ServerMessageOf } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import type { SignalingRequests } from '../signaling/SignalingClient';
import type { CallPeer } from './callStateMachine';

export type Contact = ServerMessageOf<'contacts'>['contacts'][number];

function sorted(contacts: Contact[]): Contact[] {
  return [...contacts].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The contact list with live presence, and the add-contact box's state. */
export class ContactsModel {
  readonly contacts = signal<Contact[]>([]);
  readonly addError = signal<string | null>(null);
  readonly adding = signal(false);

  constructor(private readonly signaling: SignalingRequests) {}

  async load(): Promise<void> {
    try {
      const reply = await this.signaling.request('contacts.list', {});
      this.contacts.value = sorted(reply.contacts);
    } catch (error) {
      console.warn('parley: could not load contacts', error);
    }
  }

  /** Adds a contact by username; a bad or unknown name shows an error and changes nothing. */
  async add(input: string): Promise<boolean> {
    const username = input.trim().toLowerCase();
    if (!Username.safeParse(username).success) {
      this.addError.value = 'Usernames are 3-32 characters: a-z, 0-9, _ . -';
      return false;
    }
    this.adding.value = true;
    this.addError.value = null;
    try {
      const reply = await this.signaling.request('contacts.add', { username });
      this.contacts.value = sorted(reply.contacts);
      return true;
    } catch (error) {
      this.addError.value =
        error instanceof SignalingError && error.code === 'unknown_user'
          ? `There is no user called “${username}”`
          : error instanceof Error
            ? error.message
            : 'Could not add the contact';
      return false;
    } finally {
      this.adding.value = false;
    }
  }

  onPresence(message: ServerMessageOf<'presence'>): void {
    const contacts = this.contacts.value;
    if (!contacts.some((c) => c.username === message.username)) return;
    this.contacts.value = contacts.map((c) =>
      c.username === message.username ? { ...c, presence: message.presence } : c,
    );
  }

  byUsername(username: string): Contact | null {
    return this.contacts.value.find((c) => c.username === username) ?? null;
  }

  find(username: string): CallPeer | null {
    const contact = this.byUsername(username);
    return contact && { username: contact.username, displayName: contact.displayName };
  }

  async lookup(username: string): Promise<CallPeer | null> {
    try {
      const user = await this.signaling.request('user.lookup', { username });
      return { username: user.username, displayName: user.displayName };
    } catch {
      return null;
    }
  }
}
