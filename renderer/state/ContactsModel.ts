import { signal } from '@preact/signals';
import { CONTACTS_PAGE_MAX, Username, type ServerMessageOf } from '../../protocol';
import type { SignalingRequests } from '../signaling/SignalingClient';
import type { CallPeer } from './callStateMachine';
import { addContactErrorText, contactActionErrorText } from './contactErrorText';

export type Contact = ServerMessageOf<'contacts'>['contacts'][number];

/**
 * Most contacts the app loads: the server's default cap, with room to spare for a server that
 * allows more. Pages past it are not fetched.
 */
export const MAX_LOADED_CONTACTS = 2000;

function sorted(contacts: Contact[]): Contact[] {
  return [...contacts].sort((a, b) => a.displayName.localeCompare(b.displayName));
}

/** The contact list with live presence, the add-contact box's state, and who is blocked. */
export class ContactsModel {
  readonly contacts = signal<Contact[]>([]);
  readonly addError = signal<string | null>(null);
  readonly adding = signal(false);
  /** Usernames this account has blocked. */
  readonly blocked = signal<readonly string[]>([]);
  /** Why the last remove, block or unblock failed; null after one that worked. */
  readonly actionError = signal<string | null>(null);
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
      console.warn('parley: could not add a contact', error);
      this.addError.value = addContactErrorText(error, username);
      return false;
    } finally {
      this.adding.value = false;
    }
  }

  /** Takes a contact off the list, on the server first; false (with actionError) if refused. */
  async remove(username: string): Promise<boolean> {
    try {
      await this.signaling.request('contacts.remove', { username });
      this.contacts.value = this.contacts.value.filter((c) => c.username !== username);
      this.actionError.value = null;
      return true;
    } catch (error) {
      console.warn('parley: could not remove a contact', error);
      this.actionError.value = contactActionErrorText(error, 'remove');
      return false;
    }
  }

  async loadBlocked(): Promise<void> {
    try {
      this.blocked.value = (await this.signaling.request('blocks.list', {})).usernames;
    } catch (error) {
      console.warn('parley: could not load blocked users', error);
    }
  }

  isBlocked(username: string): boolean {
    return this.blocked.value.includes(username);
  }

  /** Blocks or unblocks a user; the list shown is the server's answer. */
  async setBlocked(username: string, blocked: boolean): Promise<boolean> {
    try {
      const reply = await this.signaling.request(blocked ? 'blocks.add' : 'blocks.remove', {
        username,
      });
      this.blocked.value = reply.usernames;
      this.actionError.value = null;
      return true;
    } catch (error) {
      console.warn('parley: could not change a block', error);
      this.actionError.value = contactActionErrorText(error, blocked ? 'block' : 'unblock');
      return false;
    }
  }

  onRenamed(message: ServerMessageOf<'contact.renamed'>): void {
    const rename = (c: Contact) =>
      c.username === message.username ? { ...c, displayName: message.displayName } : c;
    if (this.loading) this.loading.splice(0, this.loading.length, ...this.loading.map(rename));
    if (!this.contacts.value.some((c) => c.username === message.username)) return;
    this.contacts.value = sorted(this.contacts.value.map(rename));
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
