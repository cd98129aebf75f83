import type { Page } from 'puppeteer-core';
import type { PagePort } from './pagePort';

/** Runs in the page: whether the first element matching the selector is in the state. */
function isInState(selector: string, state: 'attached' | 'visible' | 'detached'): boolean {
  const element = document.querySelector(selector);
  if (state === 'detached') return element === null;
  if (!element) return false;
  if (state === 'attached') return true;
  const box = element.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && element.checkVisibility({ visibilityProperty: true });
}

/**
 * A Firefox page driven by puppeteer over WebDriver BiDi. Clients share one Firefox as tabs and
 * only the foreground tab takes clicks and keys promptly (a background one took seconds), so each
 * action first brings its tab to the front, as a user switching windows would.
 */
export function puppeteerPagePort(page: Page): PagePort {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${String(error)}`));
  const waitFor = async (
    selector: string,
    state: 'attached' | 'visible' | 'detached',
    timeoutMs: number,
  ): Promise<void> => {
    await page.waitForFunction(isInState, { timeout: timeoutMs, polling: 100 }, selector, state);
  };
  return {
    // The port's function type is plainer than puppeteer's (which flattens handles): same call.
    evaluate: <Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) =>
      page.evaluate(fn as (arg: unknown) => Promise<Result>, arg as unknown) as Promise<Result>,
    async fill(selector, text) {
      await page.bringToFront();
      await page.locator(selector).fill(text);
    },
    async click(selector) {
      await page.bringToFront();
      await page.locator(selector).click();
    },
    async innerText(selector) {
      const element = (await page.waitForSelector(selector))!;
      try {
        return await element.evaluate((found) => (found as HTMLElement).innerText);
      } finally {
        await element.dispose();
      }
    },
    waitFor,
    consoleErrors: () => [...errors],
  };
}
