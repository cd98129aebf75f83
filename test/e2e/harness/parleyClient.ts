import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { testIds } from '../../../renderer/ui/testIds';
import { ParleyUser, START_UP_TIMEOUT_MS, STEP_TIMEOUT_MS } from './parleyUser';
import { trackPeerConnectionsIn } from './peerConnectionTracker';
import { playwrightPagePort } from './playwrightPagePort';
import { recordScreensIn } from './screenRecorder';

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
 * One user of the web client in Playwright's Chromium: its own browser context (own IndexedDB,
 * own fake camera and mic) and page. Closing the context closes the page and its connection to
 * the server (a further tab of another client's context closes only its page).
 */
export class ParleyClient extends ParleyUser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    /** False for a further tab of another client's browser (openAnotherTab). */
    ownsContext = true,
  ) {
    super(playwrightPagePort(page), () => (ownsContext ? context.close() : page.close()));
  }

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
      const client = new ParleyClient(context, page);
      await page.goto(options.url ?? serverUrl, { timeout: START_UP_TIMEOUT_MS });
      return client;
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
    const tab = new ParleyClient(this.context, page, false);
    await page.goto(this.page.url(), { timeout: START_UP_TIMEOUT_MS });
    tab.identity = this.identity;
    return tab;
  }

  /**
   * The user goes to another page of this browser, leaving this one without the focus (which
   * Playwright otherwise fakes): resolves with that page, for the test to close.
   */
  async goToAnotherPage(): Promise<Page> {
    const cdp = await this.context.newCDPSession(this.page);
    await cdp.send('Emulation.setFocusEmulationEnabled', { enabled: false });
    const elsewhere = await this.context.newPage();
    await elsewhere.bringToFront();
    return elsewhere;
  }

  byTestId(id: string): Locator {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  /** The element with this test id whose data attribute has the given value. */
  withAttribute(id: string, attribute: string, value: string): Locator {
    return this.page.locator(`[data-testid="${id}"][${attribute}="${value}"]`);
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
