import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { testIds } from '../../../renderer/ui/testIds';
import { pollUntil } from './pollUntil';
import { readScreensSeen, recordScreensIn } from './screenRecorder';
import {
  readConnectionStatesSeen,
  readInboundMedia,
  trackPeerConnectionsIn,
  type InboundMedia,
} from './peerConnectionTracker';

/** How long one user-visible step (a screen change, a presence update) may take. */
const STEP_TIMEOUT_MS = 20_000;
/** How long noticing a lost signaling connection, or getting it back, may take. */
const SIGNALING_STEP_TIMEOUT_MS = 40_000;

type Presence = 'online' | 'offline' | 'in_call';

export interface ClientOptions {
  /** Where the page loads the web client (default: the test server itself, e.g. a relay instead). */
  url?: string;
  /** Scripts run in the page before any of its own, after the connection tracker (fault injection). */
  initScripts?: (() => void)[];
  /**
   * The inputs the page may use, in a browser launched with `askForMedia` (the others it is
   * refused); every input otherwise.
   */
  granted?: ('camera' | 'microphone')[];
}

/**
 * One user of the web client: its own browser context (own IndexedDB, own fake camera and mic)
 * and page, driven only through the test ids of renderer/ui/testIds.ts.
 */
export class ParleyClient {
  private identity: { username: string; displayName: string } | null = null;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    /** False for a further tab of another client's browser (openAnotherTab). */
    private readonly ownsContext = true,
  ) {}

  static async open(
    browser: Browser,
    serverUrl: string,
    options: ClientOptions = {},
  ): Promise<ParleyClient> {
    const context = await browser.newContext();
    try {
      if (options.granted) {
        const origin = new URL(options.url ?? serverUrl).origin;
        await context.grantPermissions(options.granted, { origin });
      }
      await trackPeerConnectionsIn(context);
      await recordScreensIn(context);
      for (const script of options.initScripts ?? []) await context.addInitScript(script);
      const page = await context.newPage();
      await page.goto(options.url ?? serverUrl);
      return new ParleyClient(context, page);
    } catch (error) {
      await context.close();
      throw error;
    }
  }

  /**
   * A second tab of this user's browser: same profile (IndexedDB, Web Locks), same account once
   * it takes it over.
   */
  async openAnotherTab(): Promise<ParleyClient> {
    const page = await this.context.newPage();
    await page.goto(this.page.url());
    const tab = new ParleyClient(this.context, page, false);
    tab.identity = this.identity;
    return tab;
  }

  /** Closing the context closes the page and its connection to the server (a further tab: its page). */
  close(): Promise<void> {
    return this.ownsContext ? this.context.close() : this.page.close();
  }

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /** The element with this test id whose data attribute has the given value. */
  withAttribute(id: string, attribute: string, value: string): Locator {
    return this.page.locator(`[data-testid="${id}"][${attribute}="${value}"]`);
  }

  /** Waits for the element to carry the attribute value; on timeout says what it carried instead. */
  async waitForAttribute(id: string, attribute: string, value: string): Promise<void> {
    try {
      await this.withAttribute(id, attribute, value).waitFor({
        state: 'attached',
        timeout: STEP_TIMEOUT_MS,
      });
    } catch (error) {
      const seen = await this.byTestId(id)
        .first()
        .getAttribute(attribute, { timeout: 500 })
        .catch(() => '(element absent)');
      throw new Error(`${id}: expected ${attribute}="${value}", saw ${JSON.stringify(seen)}`, {
        cause: error,
      });
    }
  }

  async waitForScreen(screenId: string): Promise<void> {
    try {
      await this.byTestId(screenId).waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      const shown = await this.page
        .locator('[data-testid^="screen-"]')
        .evaluateAll((elements) => elements.map((element) => element.getAttribute('data-testid')));
      throw new Error(`expected ${screenId}, the page shows ${JSON.stringify(shown)}`, {
        cause: error,
      });
    }
  }

  async register(username: string, displayName: string): Promise<void> {
    await this.waitForScreen(testIds.screenFirstRun);
    await this.byTestId(testIds.usernameInput).fill(username);
    await this.byTestId(testIds.displayNameInput).fill(displayName);
    await this.byTestId(testIds.registerButton).click();
    await this.waitForScreen(testIds.screenContacts);
    this.identity = { username, displayName };
  }

  /**
   * On a fresh page: asks to link this device to an existing account, under this device name, and
   * returns the link code the page then shows.
   */
  async startLinking(deviceName: string): Promise<string> {
    await this.waitForScreen(testIds.screenFirstRun);
    await this.click(testIds.linkExistingButton);
    await this.byTestId(testIds.linkDeviceNameInput).fill(deviceName);
    await this.click(testIds.linkStartButton);
    await this.waitForScreen(testIds.screenLink);
    const code = this.byTestId(testIds.linkCode);
    await pollUntil(
      () => code.innerText(),
      (text) => /[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/.test(text),
      'the link code to be shown',
    );
    return (await code.innerText()).trim();
  }

  /** On a signed-in device: opens the devices screen, looks the code up and shows the pending device's name. */
  async lookUpLinkCode(code: string): Promise<string> {
    await this.click(testIds.navDevices);
    await this.waitForScreen(testIds.screenDevices);
    await this.byTestId(testIds.linkCodeInput).fill(code);
    await this.click(testIds.linkLookupButton);
    const pending = this.byTestId(testIds.linkPendingDevice);
    await pending.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
    return pending.innerText();
  }

  /** The linked device signed in: it shows its account's contacts screen as that user. */
  async waitForLinked(username: string, displayName: string): Promise<void> {
    await this.waitForScreen(testIds.screenContacts);
    await pollUntil(
      () => this.byTestId(testIds.selfUsername).innerText(),
      (shown) => shown.includes(username),
      `the signed-in user to be shown as ${username}`,
    );
    this.identity = { username, displayName };
  }

  /** The device rows of the devices screen, as their data attributes. */
  readDeviceRows(): Promise<{ deviceId: string; current: boolean; online: boolean }[]> {
    return this.byTestId(testIds.deviceRow).evaluateAll((rows) =>
      rows.map((row) => ({
        deviceId: row.getAttribute('data-device-id') ?? '',
        current: row.getAttribute('data-current') === 'true',
        online: row.getAttribute('data-online') === 'true',
      })),
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
    await this.byTestId(testIds.addContactInput).fill(username);
    await this.byTestId(testIds.addContactButton).click();
    await this.byTestId(testIds.contactRow(username)).waitFor({
      state: 'visible',
      timeout: STEP_TIMEOUT_MS,
    });
  }

  waitForPresence(username: string, presence: Presence): Promise<void> {
    return this.waitForAttribute(testIds.contactRow(username), 'data-presence', presence);
  }

  /** Calls by typing the username into the call box, the way a user reaches someone not yet a contact. */
  async callByUsername(username: string, media: 'video' | 'audio'): Promise<void> {
    await this.byTestId(testIds.callUsernameInput).fill(username);
    await this.byTestId(
      media === 'video' ? testIds.callVideoButton : testIds.callAudioButton,
    ).click();
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
    await this.byTestId(testIds.contactCallVideo(username)).click();
  }

  /** Waits for the ringing state of an outgoing call (the callee's device has the invite). */
  async waitForRinging(): Promise<void> {
    await this.waitForScreen(testIds.screenOutgoing);
    await this.waitForAttribute(testIds.outgoingStatus, 'data-state', 'ringing');
  }

  /** Waits for the incoming call screen and returns the caller as shown. */
  async waitForIncomingCall(): Promise<string> {
    await this.waitForScreen(testIds.screenIncoming);
    return this.byTestId(testIds.incomingCaller).innerText();
  }

  async click(id: string): Promise<void> {
    await this.byTestId(id).click();
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
    await this.byTestId(testIds.remoteMuted).waitFor({
      state: muted ? 'attached' : 'detached',
      timeout: STEP_TIMEOUT_MS,
    });
  }

  /**
   * Waits for the call screen's "Reconnecting…" notice (signaling down) to be shown or gone. A
   * silent cut is noticed by the keep-alive (10 s ping, 5 s deadline), hence the longer wait.
   */
  async waitForSignalingLost(lost: boolean): Promise<void> {
    await this.byTestId(testIds.signalingReconnecting).waitFor({
      state: lost ? 'visible' : 'detached',
      timeout: SIGNALING_STEP_TIMEOUT_MS,
    });
  }

  /** Waits until the newest connection has decoded video and received audio, and returns the counters. */
  waitForInboundMedia(): Promise<InboundMedia> {
    return pollUntil(
      () => readInboundMedia(this.page),
      (media) => media.videoFramesDecoded > 0 && media.audioPacketsReceived > 0,
      'inbound video frames decoded and audio packets received',
    );
  }

  readInboundMedia(): Promise<InboundMedia> {
    return readInboundMedia(this.page);
  }

  /** Every screen this page has shown since it loaded. */
  readScreensSeen(): Promise<string[]> {
    return readScreensSeen(this.page);
  }

  /** Every connectionState this page's peer connections have reached since it loaded. */
  readConnectionStatesSeen(): Promise<RTCPeerConnectionState[]> {
    return readConnectionStatesSeen(this.page);
  }

  /** Opens the call log, waits for an entry with this outcome and peer, and returns its duration. */
  async waitForCallLogEntry(outcome: string, peerUsername: string): Promise<number> {
    await this.click(testIds.navCallLog);
    await this.waitForScreen(testIds.screenCallLog);
    const entry = this.page.locator(
      `[data-testid="${testIds.callLogEntry}"][data-outcome="${outcome}"][data-peer="${peerUsername}"]`,
    );
    try {
      await entry.first().waitFor({ state: 'attached', timeout: STEP_TIMEOUT_MS });
    } catch (error) {
      const entries = await this.byTestId(testIds.callLogEntry).evaluateAll((elements) =>
        elements.map((element) => ({
          outcome: element.getAttribute('data-outcome'),
          direction: element.getAttribute('data-direction'),
          peer: element.getAttribute('data-peer'),
        })),
      );
      throw new Error(
        `call log: expected ${outcome} with ${peerUsername}, saw ${JSON.stringify(entries)}`,
        { cause: error },
      );
    }
    const durationMs = Number(await entry.first().getAttribute('data-duration-ms'));
    await this.click(testIds.navContacts);
    await this.waitForScreen(testIds.screenContacts);
    return durationMs;
  }
}
