import { testIds } from '../../../renderer/ui/testIds';
import type { PagePort } from './pagePort';
import { pollUntil } from './pollUntil';
import { readScreensSeen } from './screenRecorder';
import {
  newestInboundMedia,
  readConnectionStatesSeen,
  type InboundMedia,
} from './peerConnectionTracker';

/** How long one user-visible step (a screen change, a presence update) may take. */
export const STEP_TIMEOUT_MS = 20_000;
/**
 * How long a freshly opened page may take to load and show its first screen. None of it waits
 * for the network beyond fetching the page: it is CPU work (parsing and running the bundle, then
 * the device store in IndexedDB, Web Locks, the first render), in the page and the browser. On a
 * busy 2-core machine the load took 0.8-2.5 s and the first screen 0.3-0.9 s more; with each
 * process getting a fifteenth of a core at load 25-30, the first screen took over STEP_TIMEOUT_MS.
 * A deadline on CPU work is no test of anything: this one only turns a page that never starts into
 * a clear error before the test's own timeout (120 s or more).
 */
export const START_UP_TIMEOUT_MS = 60_000;
/** How long noticing a lost signaling connection, or getting it back, may take. */
const SIGNALING_STEP_TIMEOUT_MS = 40_000;

type Presence = 'online' | 'offline' | 'in_call';

/** The CSS selector of the element with this test id. */
export function testIdSelector(id: string): string {
  return `[data-testid="${id}"]`;
}

/**
 * One user of the web client in any browser: its page, with the connection tracker and screen
 * recorder in it, driven only through the test ids of renderer/ui/testIds.ts. `ParleyClient` is
 * this user in Playwright's Chromium, with the page itself at hand for Chromium-only checks.
 */
export class ParleyUser {
  protected identity: { username: string; displayName: string } | null = null;

  constructor(
    /** The page, whichever library drives its browser. */
    readonly port: PagePort,
    private readonly closePage: () => Promise<void>,
  ) {}

  /** Closes this user's page and its connection to the server. */
  close(): Promise<void> {
    return this.closePage();
  }

  /** Waits for the element to carry the attribute value; on timeout says what it carried instead. */
  async waitForAttribute(id: string, attribute: string, value: string): Promise<void> {
    try {
      await this.port.waitFor(
        `${testIdSelector(id)}[${attribute}="${value}"]`,
        'attached',
        STEP_TIMEOUT_MS,
      );
    } catch (error) {
      const seen = await this.port.evaluate(
        ({ selector, name }) => {
          const element = document.querySelector(selector);
          return element ? element.getAttribute(name) : '(element absent)';
        },
        { selector: testIdSelector(id), name: attribute },
      );
      throw new Error(`${id}: expected ${attribute}="${value}", saw ${JSON.stringify(seen)}`, {
        cause: error,
      });
    }
  }

  async waitForScreen(screenId: string, timeoutMs = STEP_TIMEOUT_MS): Promise<void> {
    try {
      await this.port.waitFor(testIdSelector(screenId), 'visible', timeoutMs);
    } catch (error) {
      const shown = await this.port.evaluate(
        () =>
          [...document.querySelectorAll('[data-testid^="screen-"]')].map((element) =>
            element.getAttribute('data-testid'),
          ),
        undefined,
      );
      throw new Error(`expected ${screenId}, the page shows ${JSON.stringify(shown)}`, {
        cause: error,
      });
    }
  }

  /** The rendered text of the element with this test id, once it is there. */
  readText(id: string): Promise<string> {
    return this.port.innerText(testIdSelector(id));
  }

  async register(username: string, displayName: string): Promise<void> {
    await this.waitForScreen(testIds.screenFirstRun, START_UP_TIMEOUT_MS);
    await this.port.fill(testIdSelector(testIds.usernameInput), username);
    await this.port.fill(testIdSelector(testIds.displayNameInput), displayName);
    await this.click(testIds.registerButton);
    await this.waitForScreen(testIds.screenContacts);
    this.identity = { username, displayName };
  }

  /**
   * On a fresh page: asks to link this device to an existing account, under this device name, and
   * returns the link code the page then shows.
   */
  async startLinking(deviceName: string): Promise<string> {
    await this.waitForScreen(testIds.screenFirstRun, START_UP_TIMEOUT_MS);
    await this.click(testIds.linkExistingButton);
    await this.port.fill(testIdSelector(testIds.linkDeviceNameInput), deviceName);
    await this.click(testIds.linkStartButton);
    await this.waitForScreen(testIds.screenLink);
    const code = await pollUntil(
      () => this.readText(testIds.linkCode),
      (text) => /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(text),
      'the link code to be shown',
    );
    return code.trim();
  }

  /** On a signed-in device: opens the devices screen, looks the code up and shows the pending device's name. */
  async lookUpLinkCode(code: string): Promise<string> {
    await this.click(testIds.navDevices);
    await this.waitForScreen(testIds.screenDevices);
    await this.port.fill(testIdSelector(testIds.linkCodeInput), code);
    await this.click(testIds.linkLookupButton);
    await this.port.waitFor(testIdSelector(testIds.linkPendingDevice), 'visible', STEP_TIMEOUT_MS);
    return this.readText(testIds.linkPendingDevice);
  }

  /** The linked device signed in: it shows its account's contacts screen as that user. */
  async waitForLinked(username: string, displayName: string): Promise<void> {
    await this.waitForScreen(testIds.screenContacts);
    await pollUntil(
      () => this.readText(testIds.selfUsername),
      (shown) => shown.includes(username),
      `the signed-in user to be shown as ${username}`,
    );
    this.identity = { username, displayName };
  }

  /** The device rows of the devices screen, as their data attributes. */
  readDeviceRows(): Promise<{ deviceId: string; current: boolean; online: boolean }[]> {
    return this.port.evaluate(
      (selector) =>
        [...document.querySelectorAll(selector)].map((row) => ({
          deviceId: row.getAttribute('data-device-id') ?? '',
          current: row.getAttribute('data-current') === 'true',
          online: row.getAttribute('data-online') === 'true',
        })),
      testIdSelector(testIds.deviceRow),
    );
  }

  get username(): string {
    return this.registered().username;
  }

  get displayName(): string {
    return this.registered().displayName;
  }

  private registered(): { username: string; displayName: string } {
    if (!this.identity) throw new Error('this client has not registered yet');
    return this.identity;
  }

  async addContact(username: string): Promise<void> {
    await this.port.fill(testIdSelector(testIds.addContactInput), username);
    await this.click(testIds.addContactButton);
    await this.port.waitFor(
      testIdSelector(testIds.contactRow(username)),
      'visible',
      STEP_TIMEOUT_MS,
    );
  }

  waitForPresence(username: string, presence: Presence): Promise<void> {
    return this.waitForAttribute(testIds.contactRow(username), 'data-presence', presence);
  }

  /** Calls by typing the username into the call box, the way a user reaches someone not yet a contact. */
  async callByUsername(username: string, media: 'video' | 'audio'): Promise<void> {
    await this.port.fill(testIdSelector(testIds.callUsernameInput), username);
    await this.click(media === 'video' ? testIds.callVideoButton : testIds.callAudioButton);
  }

  /** Turns on "Protect my IP address in calls" in settings and returns to the contacts screen. */
  async protectIpAddress(): Promise<void> {
    await this.click(testIds.navSettings);
    await this.waitForScreen(testIds.screenSettings);
    await this.click(testIds.alwaysRelayToggle);
    await this.waitForAttribute(testIds.alwaysRelayToggle, 'aria-checked', 'true');
    await this.click(testIds.navContacts);
    await this.waitForScreen(testIds.screenContacts);
  }

  async callContact(username: string): Promise<void> {
    await this.click(testIds.contactCallVideo(username));
  }

  /** Waits for the ringing state of an outgoing call (the callee's device has the invite). */
  async waitForRinging(): Promise<void> {
    await this.waitForScreen(testIds.screenOutgoing);
    await this.waitForAttribute(testIds.outgoingStatus, 'data-state', 'ringing');
  }

  /** Waits for the incoming call screen and returns the caller as shown. */
  async waitForIncomingCall(): Promise<string> {
    await this.waitForScreen(testIds.screenIncoming);
    return this.readText(testIds.incomingCaller);
  }

  async click(id: string): Promise<void> {
    await this.port.click(testIdSelector(id));
  }

  /** Back on the contacts screen with the notice saying why the call ended. */
  async waitForCallEnded(reason: string): Promise<void> {
    await this.waitForScreen(testIds.screenContacts);
    await this.waitForAttribute(testIds.callNotice, 'data-reason', reason);
  }

  async waitForInCall(): Promise<void> {
    await this.waitForScreen(testIds.screenInCall);
  }

  async waitForRemoteMuted(muted: boolean): Promise<void> {
    await this.port.waitFor(
      testIdSelector(testIds.remoteMuted),
      muted ? 'attached' : 'detached',
      STEP_TIMEOUT_MS,
    );
  }

  /**
   * Waits for the call screen's "Reconnecting…" notice (signaling down) to be shown or gone. A
   * silent cut is noticed by the keep-alive (10 s ping, 5 s deadline), hence the longer wait.
   */
  async waitForSignalingLost(lost: boolean): Promise<void> {
    await this.port.waitFor(
      testIdSelector(testIds.signalingReconnecting),
      lost ? 'visible' : 'detached',
      SIGNALING_STEP_TIMEOUT_MS,
    );
  }

  /** Waits until the newest connection has decoded video and received audio, and returns the counters. */
  waitForInboundMedia(): Promise<InboundMedia> {
    return pollUntil(
      () => this.readInboundMedia(),
      (media) => media.videoFramesDecoded > 0 && media.audioPacketsReceived > 0,
      'inbound video frames decoded and audio packets received',
    );
  }

  readInboundMedia(): Promise<InboundMedia> {
    return this.port.evaluate(newestInboundMedia, undefined);
  }

  /** Every console error and uncaught exception of this page since it started loading. */
  consoleErrors(): string[] {
    return this.port.consoleErrors();
  }

  /** Every screen this page has shown since it loaded. */
  readScreensSeen(): Promise<string[]> {
    return readScreensSeen(this.port);
  }

  /** Every connectionState this page's peer connections have reached since it loaded. */
  readConnectionStatesSeen(): Promise<RTCPeerConnectionState[]> {
    return readConnectionStatesSeen(this.port);
  }
}
