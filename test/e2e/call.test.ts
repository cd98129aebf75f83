import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import { pollUntil } from './harness/pollUntil';
import { expectMediaStillFlowing, remoteVideoSize } from './harness/mediaFlow';

// Real Chromium and a real call on two cores: steps are waited for, never timed.
jest.setTimeout(180_000);

const env = fileEnvironment();

test('two users see each other online, talk on video with media flowing both ways, mute, hang up and find the call in their logs', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  // Carol watches from her contacts screen: the callers' own contact lists are hidden during the call.
  const carol = await env.registeredClient('carol', 'Carol King');

  await alice.addContact('bob');
  await bob.addContact('alice');
  await carol.addContact('alice');
  await carol.addContact('bob');
  // Presence goes only to people one added: Alice and Bob have Carol in their lists too.
  await alice.addContact('carol');
  await bob.addContact('carol');
  await alice.waitForPresence('bob', 'online');
  await bob.waitForPresence('alice', 'online');
  await carol.waitForPresence('alice', 'online');
  await carol.waitForPresence('bob', 'online');

  await alice.callContact('bob');
  expect(await bob.waitForIncomingCall()).toContain('Alice Liddell');
  await bob.click(testIds.acceptVideoButton);
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  await carol.waitForPresence('alice', 'in_call');
  await carol.waitForPresence('bob', 'in_call');

  for (const client of [alice, bob]) {
    await client.waitForAttribute(testIds.connectionState, 'data-state', 'connected');
    await expect(client.byTestId(testIds.localVideo).count()).resolves.toBe(1);
    await expect(client.byTestId(testIds.callTimer).isVisible()).resolves.toBe(true);
    await pollUntil(
      () => remoteVideoSize(client),
      (size) => size.width > 0 && size.height > 0,
      'the remote video element to show a picture',
    );
  }

  // Media flows both ways, and keeps flowing.
  await expectMediaStillFlowing([alice, bob]);

  // Alice mutes: her button says so and Bob sees it; unmuting clears both.
  await expect(alice.byTestId(testIds.remoteMuted).count()).resolves.toBe(0);
  await bob.waitForRemoteMuted(false);
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'true');
  await bob.waitForRemoteMuted(true);
  await alice.click(testIds.muteButton);
  await alice.waitForAttribute(testIds.muteButton, 'aria-pressed', 'false');
  await bob.waitForRemoteMuted(false);

  await bob.click(testIds.hangupButton);
  await bob.waitForCallEnded('hangup');
  await alice.waitForCallEnded('remote_hangup');
  await carol.waitForPresence('alice', 'online');
  await carol.waitForPresence('bob', 'online');
  await alice.waitForPresence('bob', 'online');
  await bob.waitForPresence('alice', 'online');

  await alice.waitForCallLogEntry('answered', 'bob');
  await bob.waitForCallLogEntry('answered', 'alice');
});
