/**
 * What a test client needs of one browser page, whichever library drives the browser: Playwright
 * drives Chromium, puppeteer drives Firefox. Selectors are CSS, each meant to match one element.
 * A port is made before its page loads anything, so it hears the page's console from the start.
 */
export interface PagePort {
  /** Runs a self-contained function in the page (it is serialized) and returns its result. */
  evaluate<Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg): Promise<Result>;
  /** Replaces the text of the input, waiting for it to be there. */
  fill(selector: string, text: string): Promise<void>;
  /** Clicks the element as a user would, waiting for it to be there. */
  click(selector: string): Promise<void>;
  /** The element's rendered text, waiting for it to be there. */
  innerText(selector: string): Promise<string>;
  /** Resolves once an element matches and is attached (or visible), or none is left (detached). */
  waitFor(
    selector: string,
    state: 'attached' | 'visible' | 'detached',
    timeoutMs: number,
  ): Promise<void>;
  /** Every error the page's console showed and every exception it left uncaught, so far. */
  consoleErrors(): string[];
}
