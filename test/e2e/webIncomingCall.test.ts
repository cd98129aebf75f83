import { testIds } from '../../renderer/ui/testIds';
import { becomeContacts, aliceAndBobFile } from './harness/callSetup';
import type { ParleyClient } from './harness/parleyClient';
import { pollUntil } from './harness/pollUntil';

// Real Chromium against the real server: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = aliceAndBobFile();

/** What the user of a tab would notice of a call: sound, tab title and icon, keyboard focus. */
function readTab(client: ParleyClient) {
  return client.page.evaluate((ringtoneId) => {
    const ringtone = document.querySelector<HTMLAudioElement>(`[data-testid="${ringtoneId}"]`);
    return {
      ringing: ringtone !== null && !ringtone.paused && ringtone.currentTime > 0,
      title: document.title,
      icon: document.querySelector('link[rel="icon"]')?.getAttribute('href') ?? null,
      focused: document.activeElement?.getAttribute('data-testid') ?? null,
    };
  }, testIds.ringtone);
}

test('an incoming call rings in the web client: the ringtone plays, the tab names the caller, Accept has the keyboard; a decline stops it all', async () => {
  const { alice, bob } = env;
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
    icon: 'assets/icon-badge.svg',
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
  const { alice } = env;
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

/** Keeps what the page shows as system notifications (the real ones are still shown). */
function recordNotifications(): void {
  const Shown = window.Notification;
  const shown: { title: string; body: string; closed: boolean }[] = [];
  class Recorded extends Shown {
    constructor(title: string, options?: NotificationOptions) {
      super(title, options);
      const entry = { title, body: options?.body ?? '', closed: false };
      shown.push(entry);
      const close = this.close.bind(this);
      this.close = () => {
        entry.closed = true;
        close();
      };
    }
  }
  Object.assign(window, { Notification: Recorded, __notifications: shown });
}

function notificationsOf(client: ParleyClient) {
  return client.page.evaluate(
    () =>
      (window as unknown as { __notifications: { title: string; body: string; closed: boolean }[] })
        .__notifications,
  );
}

test('notifications are offered with a reason; once allowed, a call to a tab the user is not looking at shows one (gone when the ring stops) and the tab counts the missed call until he is back', async () => {
  const { alice } = env;
  const dave = await env.newClient({ initScripts: [recordNotifications] });
  await dave.register('dave', 'Dave Grohl');
  // Offered in the page, not asked of the browser at load.
  await dave.byTestId(testIds.notificationOffer).waitFor();
  expect(await dave.page.evaluate(() => Notification.permission)).toBe('default');
  await dave.click(testIds.notificationOfferAccept);
  await dave.byTestId(testIds.notificationOffer).waitFor({ state: 'detached' });
  // The user says yes in the browser's prompt (granted here for the page's origin).
  await dave.context.grantPermissions(['notifications'], {
    origin: new URL(env.server.url).origin,
  });
  await becomeContacts(alice, dave);

  // The user goes to another tab: this one loses the focus.
  const elsewhere = await dave.goToAnotherPage();
  expect(await dave.page.evaluate(() => document.hasFocus())).toBe(false);

  await alice.callContact(dave.username);
  await dave.waitForIncomingCall();
  const shown = await pollUntil(
    () => notificationsOf(dave),
    (list) => list.length > 0,
    "Dave's notification of the call",
  );
  expect(shown).toEqual([
    { title: 'Alice Liddell is calling', body: 'Incoming video call', closed: false },
  ]);
  await alice.click(testIds.cancelButton);
  await dave.waitForCallEnded('missed');
  expect(await notificationsOf(dave)).toEqual([
    { title: 'Alice Liddell is calling', body: 'Incoming video call', closed: true },
  ]);
  // The tab counts the call he missed while away, until he comes back to it.
  expect(await readTab(dave)).toMatchObject({ title: '(1) Parley', icon: 'assets/icon-badge.svg' });
  await dave.page.bringToFront();
  await pollUntil(
    () => readTab(dave),
    (tab) => tab.title === 'Parley',
    'the missed-call count to go once Dave is back',
  );
  expect((await readTab(dave)).icon).toBe('assets/icon.svg');
  await elsewhere.close();
});

test('a user looking at the tab gets no notification, only the ringing screen', async () => {
  const { alice } = env;
  const erin = await env.newClient({ initScripts: [recordNotifications] });
  await erin.register('erin', 'Erin Brockovich');
  await erin.byTestId(testIds.notificationOffer).waitFor();
  // She allows notifications in the browser's site settings instead: the card goes.
  await erin.context.grantPermissions(['notifications'], {
    origin: new URL(env.server.url).origin,
  });
  await erin.byTestId(testIds.notificationOffer).waitFor({ state: 'detached' });
  await becomeContacts(alice, erin);
  await alice.callContact(erin.username);
  await erin.waitForIncomingCall();
  await pollUntil(
    () => readTab(erin),
    (tab) => tab.ringing,
    "Erin's ringtone",
  );
  expect(await notificationsOf(erin)).toEqual([]);
  await alice.click(testIds.cancelButton);
  await erin.waitForCallEnded('missed');
});
