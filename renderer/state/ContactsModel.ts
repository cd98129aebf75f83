import { signal } from '@preact/signals';
import { CONTACTS_PAGE_MAX, Username, type ServerMessageOf } from '../../protocol';
import { SignalingError } from '../signaling/RequestTracker';
import type { SignalingRequests } from '../signaling/SignalingClient';
import type { CallPeer } from './callStateMachine';

export type Contact = ServerMessageOf<'contacts'>['contacts'][number];

/**
 * Most contacts the app loads: the server's default cap, with room to spare for a server that
 * allows more. Pages past it are not fetched.
 */
export const MAX_LOADED_CONTACTS = 2000;

function sorted(contacts: Contact[]): Contact[] {
  return [...contacts].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The contact list with live presence, and the add-contact box's state. */
export class ContactsModel {
  readonly contacts = signal<Contact[]>([]);
  readonly addError = signal<string | null>(null);
  readonly adding = signal(false);
  /** The pages fetched so far by the load in progress; presence notices update them too. */
  private loading: Contact[] | null = null;
  private loadCount = 0;

  constructor(private readonly signaling: SignalingRequests) {}

  /**
   * Fetches the whole list, page after page, and shows it once complete. A presence notice that
   * arrives meanwhile updates the pages already fetched; the later ones are newer than it.
   */
  async load(): Promise<void> {
    const load = ++this.loadCount;
    const pages: Contact[] = [];
    this.loading = pages;
    try {
      let after: string | undefined;
      do {
        const reply = await this.signaling.request('contacts.list', {
          limit: CONTACTS_PAGE_MAX,
          ...(after === undefined ? {} : { after }),
        });
        if (load !== this.loadCount) return;
        pages.push(...reply.contacts);
        // A `next` that does not move forward would loop forever: stop there.
        after =
          reply.next !== null && (after === undefined || reply.next > after)
            ? reply.next
            : undefined;
      } while (after !== undefined && pages.length < MAX_LOADED_CONTACTS);
      this.contacts.value = sorted(pages);
    } catch (error) {
      console.warn('parley: could not load contacts', error);
    } finally {
      if (load === this.loadCount) this.loading = null;
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
      const { contact } = await this.signaling.request('contacts.add', { username });
      this.contacts.value = sorted([
        ...this.contacts.value.filter((c) => c.username !== contact.username),
        contact,
      ]);
      return true;
    } catch (error) {
      this.addError.value = addErrorText(error, username);
      return false;
    } finally {
      this.adding.value = false;
    }
  }

  onPresence(message: ServerMessageOf<'presence'>): void {
    if (this.loading) {
      for (const [index, contact] of this.loading.entries()) {
        if (contact.username === message.username) {
          this.loading[index] = { ...contact, presence: message.presence };
        }
      }
    }
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

function addErrorText(error: unknown, username: string): string {
  if (error instanceof SignalingError && error.code === 'unknown_user') {
    return `There is no user called “${username}”`;
  }
  if (error instanceof SignalingError && error.code === 'contacts_full') {
    return 'Your contact list is full: this server allows no more contacts.';
  }
  return error instanceof Error ? error.message : 'Could not add the contact';
}
