import { testIds } from '../../../renderer/ui/testIds';
import { E2eEnvironment } from './e2eEnvironment';
import type { ParleyClient } from './parleyClient';
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

/** The caller rings the callee by username and gives up while it rings: a call in both logs. */
export async function callAndCancel(caller: ParleyUser, callee: ParleyUser): Promise<void> {
  await caller.callByUsername(callee.username, 'audio');
  await caller.waitForRinging();
  await callee.waitForIncomingCall();
  await caller.click(testIds.cancelButton);
  await caller.waitForCallEnded('cancelled');
  await callee.waitForCallEnded('missed');
}

export async function openCallLog(client: ParleyUser): Promise<void> {
  await client.click(testIds.navCallLog);
  await client.waitForScreen(testIds.screenCallLog);
}

export interface AliceAndBob {
  env: E2eEnvironment;
  alice: ParleyClient;
  bob: ParleyClient;
}

/** Alice and Bob, registered in this environment, each in the other's contacts, online. */
export async function registerAliceAndBob(
  env: Pick<E2eEnvironment, 'registeredClient'>,
): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(alice, bob);
  return { alice, bob };
}

/** A test file's world with Alice and Bob registered, each in the other's contacts, online. */
export async function startWithAliceAndBob(
  options: Parameters<typeof E2eEnvironment.start>[0] = {},
): Promise<AliceAndBob> {
  const env = await E2eEnvironment.start(options);
  try {
    return { env, ...(await registerAliceAndBob(env)) };
  } catch (error) {
    await env.close();
    throw error;
  }
}
