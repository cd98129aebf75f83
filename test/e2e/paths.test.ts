import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import type { ParleyClient } from './harness/parleyClient';

// Real Chromium on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

/** Alice calls Bob and waits until his device rings. */
async function ring(alice: ParleyClient, bob: ParleyClient): Promise<void> {
  await alice.callByUsername(bob.username, 'video');
  await alice.waitForRinging();
  expect(await bob.waitForIncomingCall()).toContain(alice.displayName);
}

describe('calls that end before or beside a conversation', () => {
  const env = fileEnvironment({}, { closeClientsAfterEach: true });

  test('declined: the callee declines and both sides are told it was declined', async () => {
    const alice = await env.registeredClient('decline-alice', 'Alice D');
    const bob = await env.registeredClient('decline-bob', 'Bob D');

    await ring(alice, bob);
    await bob.click(testIds.declineButton);

    await bob.waitForCallEnded('declined');
    await alice.waitForCallEnded('declined');
    await alice.waitForCallLogEntry('declined', 'decline-bob');
    await bob.waitForCallLogEntry('declined', 'decline-alice');
  });

  test('cancelled: the caller gives up while it rings; the callee is told of a missed call', async () => {
    const alice = await env.registeredClient('cancel-alice', 'Alice C');
    const bob = await env.registeredClient('cancel-bob', 'Bob C');

    await ring(alice, bob);
    await alice.click(testIds.cancelButton);

    await alice.waitForCallEnded('cancelled');
    await bob.waitForCallEnded('missed');
  });

  test('callee offline: calling a registered user whose client is closed says they are offline', async () => {
    const alice = await env.registeredClient('offline-alice', 'Alice O');
    const bob = await env.registeredClient('offline-bob', 'Bob O');
    await alice.addContact('offline-bob');
    await bob.addContact('offline-alice');
    await alice.waitForPresence('offline-bob', 'online');

    await env.closeClient(bob);
    await alice.waitForPresence('offline-bob', 'offline');

    await alice.callByUsername('offline-bob', 'video');
    await alice.waitForCallEnded('callee_offline');
  });
});

describe('a call nobody answers', () => {
  // A short ring so the test does not wait the real 45 s.
  const env = fileEnvironment({ ringTimeoutMs: 3_000 });

  test('no answer: the ring times out; the caller hears no answer and the callee sees a missed call', async () => {
    const alice = await env.registeredClient('quiet-alice', 'Alice Q');
    const bob = await env.registeredClient('quiet-bob', 'Bob Q');

    await ring(alice, bob);

    await alice.waitForCallEnded('no_answer');
    await bob.waitForCallEnded('missed');
    await alice.waitForCallLogEntry('missed', 'quiet-bob');
    await bob.waitForCallLogEntry('missed', 'quiet-alice');
  });
});
