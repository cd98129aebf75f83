import type { ParleyClient } from './parleyClient';

/** Each client adds the other as a contact; returns once `first` sees `second` online. */
export async function becomeContacts(first: ParleyClient, second: ParleyClient): Promise<void> {
  await first.addContact(second.username);
  await second.addContact(first.username);
  await first.waitForPresence(second.username, 'online');
}
