import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { groupCallEnvironment } from './harness/groupCallEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';
import { sfuPortsOf } from './harness/sfuPorts';

/**
 * A group call ringing in the web client's tab, as a 1:1 call does (webIncomingCall.test.ts):
 * real Chromium pages against the real server with its SFU; steps are waited for, never timed.
 */
jest.setTimeout(240_000);

const env = groupCallEnvironment({ ports: sfuPortsOf('webGroupInvite') });

/** What the user of a tab would notice of a call: sound, tab title and icon. */
function readTab(client: ParleyClient) {
  return client.page.evaluate((ringtoneId) => {
    const ringtone = document.querySelector<HTMLAudioElement>(`[data-testid="${ringtoneId}"]`);
    return {
      ringing: ringtone !== null && !ringtone.paused && ringtone.currentTime > 0,
      title: document.title,
      icon: document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? null,
    };
  }, testIds.ringtone);
}

test('a group call ringing names who invites in the tab title, with the badge and the ringtone; declined, the tab is plain again', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(alice, bob);

  await alice.waitForScreen(testIds.groupCallPanel);
  await alice.click(testIds.groupCallContact('bob'));
  await alice.click(testIds.groupCallVideoButton);
  await alice.waitForScreen(testIds.screenGroupCall);

  await bob.waitForScreen(testIds.screenGroupInvite);
  const ringing = await pollUntil(
    () => readTab(bob),
    (tab) => tab.ringing,
    "Bob's ringtone to play",
  );
  expect(ringing).toEqual({
    ringing: true,
    title: 'Alice Liddell invites you to a group call (video) · Parley',
    icon: 'assets/icon-badge.svg',
  });

  await bob.click(testIds.groupDeclineButton);
  await bob.waitForScreen(testIds.screenContacts);
  expect(await readTab(bob)).toEqual({
    ringing: false,
    title: 'Parley',
    icon: 'assets/icon.svg',
  });
  await alice.click(testIds.leaveCallButton);
  await alice.waitForScreen(testIds.screenContacts);
});

test('a group call missed while the user was in another tab is counted in the title until they come back', async () => {
  const carol = await env.registeredClient('carol', 'Carol King');
  const dave = await env.registeredClient('dave', 'Dave Grohl');
  await becomeContacts(carol, dave);

  // Dave goes to another tab: this one loses the focus.
  const elsewhere = await dave.goToAnotherPage();
  expect(await dave.page.evaluate(() => document.hasFocus())).toBe(false);

  await carol.waitForScreen(testIds.groupCallPanel);
  await carol.click(testIds.groupCallContact('dave'));
  await carol.click(testIds.groupCallVideoButton);
  await carol.waitForScreen(testIds.screenGroupCall);
  await dave.waitForScreen(testIds.screenGroupInvite);
  await pollUntil(
    () => readTab(dave),
    (tab) => tab.title === 'Carol King invites you to a group call (video) · Parley',
    "Dave's tab to name the group call",
  );
  // Carol gives up: the call ends before Dave answered.
  await carol.click(testIds.leaveCallButton);
  await dave.waitForScreen(testIds.screenContacts);
  const missed = await pollUntil(
    () => readTab(dave),
    (tab) => !tab.ringing,
    "Dave's ringtone to stop",
  );
  expect(missed).toEqual({ ringing: false, title: '(1) Parley', icon: 'assets/icon-badge.svg' });
  await dave.page.bringToFront();
  await pollUntil(
    () => readTab(dave),
    (tab) => tab.title === 'Parley',
    'the missed-call count to go once Dave is back',
  );
  expect((await readTab(dave)).icon).toBe('assets/icon.svg');
  await elsewhere.close();
});
