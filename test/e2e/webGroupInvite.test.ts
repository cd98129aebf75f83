import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { E2eEnvironment } from './harness/e2eEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

/**
 * A group call ringing in the web client's tab, as a 1:1 call does (webIncomingCall.test.ts):
 * real Chromium pages against the real server with its SFU; steps are waited for, never timed.
 */
jest.setTimeout(240_000);

let env: E2eEnvironment;

beforeAll(async () => {
  env = await E2eEnvironment.start({
    // Its own port range: sfuPath.test.ts uses 47500-47599, groupCall.test.ts 47700-47799.
    sfu: { listenIp: '127.0.0.1', workers: 1, rtcMinPort: 47800, rtcMaxPort: 47899 },
  });
});

afterAll(async () => {
  await env?.close();
});

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
});
