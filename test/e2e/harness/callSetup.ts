import { testIds } from '../../../renderer/ui/testIds';
import type { ParleyUser } from './parleyUser';

/** Each client adds the other as a contact; returns once `first` sees `second` online. */
export async function becomeContacts(first: ParleyUser, second: ParleyUser): Promise<void> {
  await first.addContact(second.username);
  await second.addContact(first.username);
  await first.waitForPresence(second.username, 'online');
}

/**
 * The callee, rung by the caller, accepts on video; returns once both are in the call and their
 * connection is up.
 */
export async function answerAndConnect(caller: ParleyUser, callee: ParleyUser): Promise<void> {
  await callee.waitForIncomingCall();
  await callee.click(testIds.acceptVideoButton);
  await Promise.all([caller.waitForInCall(), callee.waitForInCall()]);
  for (const client of [caller, callee]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
  }
}
