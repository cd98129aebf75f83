import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts } from './harness/callSetup';
import { E2eEnvironment } from './harness/e2eEnvironment';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

let env: E2eEnvironment;
let alice: ParleyClient;
let bob: ParleyClient;

beforeAll(async () => {
  env = await E2eEnvironment.start();
  alice = await env.registeredClient('alice', 'Alice Liddell');
  bob = await env.registeredClient('bob', 'Bob Marley');
  await becomeContacts(alice, bob);
});

afterAll(async () => {
  await env?.close();
});

/** What the user of a tab would notice of a call: sound, tab title and icon, keyboard focus. */
function readTab(client: ParleyClient) {
  return client.page.evaluate(() => {
    const ringtone = document.querySelector<HTMLAudioElement>('[data-testid="ringtone"]');
    return {
      ringing: ringtone !== null && !ringtone.paused && ringtone.currentTime > 0,
      title: document.title,
      icon: document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? null,
      focused: document.activeElement?.getAttribute('data-testid') ?? null,
    };
  });
}

test('an incoming call rings in the web client: the ringtone plays, the tab names the caller, Accept has the keyboard; a decline stops it all', async () => {
  await alice.callContact(bob.username);
  await bob.waitForIncomingCall();
  const ringing = await pollUntil(
    () => readTab(bob),
    (tab) => tab.ringing,
    "Bob's ringtone to play",
  );
  expect(ringing).toEqual({
    ringing: true,
    title: 'Alice Liddell is calling (video) · Parley',
    icon: 'assets/icon-ringing.svg',
    focused: testIds.acceptVideoButton,
  });
  // The keyboard answers: Enter on the focused button accepts with video.
  await bob.page.keyboard.press('Enter');
  await Promise.all([alice.waitForInCall(), bob.waitForInCall()]);
  expect(await readTab(bob)).toMatchObject({
    ringing: false,
    title: 'Parley',
    icon: 'assets/icon.svg',
  });
  await alice.click(testIds.hangupButton);
  await bob.waitForCallEnded('remote_hangup');

  await alice.callContact(bob.username);
  await bob.waitForIncomingCall();
  await pollUntil(
    () => readTab(bob),
    (tab) => tab.ringing,
    "Bob's ringtone to play again",
  );
  await bob.click(testIds.declineButton);
  await bob.waitForCallEnded('declined');
  expect(await readTab(bob)).toMatchObject({
    ringing: false,
    title: 'Parley',
    icon: 'assets/icon.svg',
  });
});

/**
 * Chrome's autoplay rule for a page the user has not clicked since it loaded. Playwright runs
 * every script with a user gesture, so the real rule never bites under test: this stands in for
 * it, in the page (its real side, sound playing once allowed, is the test above).
 */
function autoplayNeedsAClick(): void {
  const play = HTMLMediaElement.prototype.play;
  let clicked = false;
  document.addEventListener('click', (event) => void (clicked ||= event.isTrusted), true);
  HTMLMediaElement.prototype.play = function playOnceClicked(this: HTMLMediaElement) {
    if (clicked) return play.call(this);
    return Promise.reject(
      new DOMException(
        "play() failed because the user didn't interact with the document first.",
        'NotAllowedError',
      ),
    );
  };
}

test('where the browser blocks sound until a click, the incoming screen says so and "Turn on sound" rings', async () => {
  const carol = await env.newClient({ initScripts: [autoplayNeedsAClick] });
  await carol.register('carol', 'Carol Danvers');
  await becomeContacts(alice, carol);
  // Loaded again, and not clicked since.
  await carol.page.reload();
  await carol.waitForScreen(testIds.screenContacts);
  await alice.callContact(carol.username);
  await carol.waitForIncomingCall();
  await carol.byTestId(testIds.soundBlocked).waitFor();
  expect((await readTab(carol)).ringing).toBe(false);
  await carol.click(testIds.enableSoundButton);
  await pollUntil(
    () => readTab(carol),
    (tab) => tab.ringing,
    "Carol's ringtone once she turned sound on",
  );
  expect(await carol.byTestId(testIds.soundBlocked).count()).toBe(0);
  await alice.click(testIds.cancelButton);
  await carol.waitForCallEnded('missed');
  expect((await readTab(carol)).ringing).toBe(false);
});
