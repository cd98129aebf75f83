import type { Msg } from './benchSocket';

/**
 * The few places where the bench depends on the shape of a request or reply that issue 9 changes
 * (contacts.list is paged, contacts.add answers with just the added contact). Everything else
 * the bench sends is unchanged by it.
 */

/** The fields of the contacts.list request that asks for the largest reply the server gives. */
export function largestContactsListFields(): Record<string, unknown> {
  return {};
}

/** The usernames in a `contacts` reply to contacts.list. */
export function contactsInListReply(reply: Msg): string[] {
  return (reply.contacts as { username: string }[]).map((contact) => contact.username);
}

/** Whether a reply to contacts.add says that `username` is now a contact. */
export function addedContact(reply: Msg, username: string): boolean {
  return reply.type === 'contacts' && contactsInListReply(reply).includes(username);
}
