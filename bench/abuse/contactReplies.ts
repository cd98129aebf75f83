import type { Msg } from './benchSocket';

/** The few places where the bench depends on how contact requests and replies are shaped. */

/** The largest page `contacts.list` gives ("People and presence" in docs/protocol.md). */
const LARGEST_CONTACT_PAGE = 100;

/** The fields of the contacts.list request that asks for the largest reply the server gives. */
export function largestContactsListFields(): Record<string, unknown> {
  return { limit: LARGEST_CONTACT_PAGE };
}

/** The usernames in a `contacts` reply to contacts.list (one page). */
export function contactsInListReply(reply: Msg): string[] {
  return (reply.contacts as { username: string }[]).map((contact) => contact.username);
}

/** Whether a reply to contacts.add says that `username` is now a contact. */
export function addedContact(reply: Msg, username: string): boolean {
  return reply.type === 'contact' && (reply.contact as { username: string }).username === username;
}
