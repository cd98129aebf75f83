import { testIds } from '../../../renderer/ui/testIds';
import type { E2eEnvironment } from './e2eEnvironment';
import {
  HookedFileEnvironment,
  type FileEnvironment,
  type FileEnvironmentOptions,
} from './fileEnvironment';
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

/** Alice and Bob, registered in this environment, each in the other's contacts, online. */
export async function registerAliceAndBob(
  env: Pick<E2eEnvironment, 'registeredClient'>,
): Promise<{ alice: ParleyClient; bob: ParleyClient }> {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(alice, bob);
  return { alice, bob };
}

/** A test file's world with Alice and Bob in it, for its tests to share. */
export interface AliceAndBobFile extends FileEnvironment {
  readonly alice: ParleyClient;
  readonly bob: ParleyClient;
}

/** `aliceAndBobFile`'s world: the file's environment itself, Alice and Bob added. */
class AliceAndBobFileEnvironment extends HookedFileEnvironment implements AliceAndBobFile {
  private people: { alice: ParleyClient; bob: ParleyClient } | undefined;

  constructor(options: FileEnvironmentOptions) {
    super(options);
    beforeAll(async () => {
      this.people = await registerAliceAndBob(this);
    });
  }

  get alice(): ParleyClient {
    return this.registered().alice;
  }

  get bob(): ParleyClient {
    return this.registered().bob;
  }

  private registered(): { alice: ParleyClient; bob: ParleyClient } {
    if (!this.people) {
      throw new Error('Alice and Bob are registered in beforeAll: use them in a test');
    }
    return this.people;
  }
}

/**
 * The file's environment (`fileEnvironment`) with Alice and Bob registered before its first test,
 * each in the other's contacts, online; they stay open for all of its tests. Call it once, at the
 * top level of the file.
 */
export function aliceAndBobFile(options: FileEnvironmentOptions = {}): AliceAndBobFile {
  return new AliceAndBobFileEnvironment(options);
}
