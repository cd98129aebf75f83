import type { Page } from 'playwright-core';
import type { PagePort } from './pagePort';

/** A Chromium page driven by Playwright: its locators wait for each element themselves. */
export function playwrightPagePort(page: Page): PagePort {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  return {
    // The port's function type is plainer than Playwright's (which unboxes handles): same call.
    evaluate: <Result, Arg>(fn: (arg: Arg) => Result | Promise<Result>, arg: Arg) =>
      page.evaluate(fn as (arg: unknown) => Result | Promise<Result>, arg as unknown),
    fill: (selector, text) => page.locator(selector).fill(text),
    click: (selector) => page.locator(selector).click(),
    innerText: (selector) => page.locator(selector).innerText(),
    waitFor: (selector, state, timeoutMs) =>
      page.locator(selector).waitFor({ state, timeout: timeoutMs }),
    consoleErrors: () => [...errors],
  };
}
