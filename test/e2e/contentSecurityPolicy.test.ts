import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { testIds } from '../../renderer/ui/testIds';
import { fileEnvironment } from './harness/fileEnvironment';
import { RENDERER_DIST } from './harness/rendererBuild';

// Real Chromium against the real server's CSP header: steps are waited for, never timed.
jest.setTimeout(120_000);

const env = fileEnvironment();

interface Outcome {
  opened: boolean;
  violatedDirective: string | null;
  blockedUri: string | null;
}

/** Opens a WebSocket from the page and reports whether it opened or the CSP refused it. */
function openWebSocket(page: Page, url: string): Promise<Outcome> {
  return page.evaluate(
    (target) =>
      new Promise<Outcome>((resolve) => {
        const onViolation = (event: SecurityPolicyViolationEvent): void =>
          resolve({
            opened: false,
            violatedDirective: event.effectiveDirective,
            blockedUri: event.blockedURI,
          });
        document.addEventListener('securitypolicyviolation', onViolation, { once: true });
        try {
          const socket = new WebSocket(target);
          socket.onopen = () => {
            socket.close();
            resolve({ opened: true, violatedDirective: null, blockedUri: null });
          };
        } catch {
          // Chromium may throw as well as report; the violation event says which directive.
        }
      }),
    url,
  );
}

test('the web client signs in over its own WebSocket, and the page can reach no other host', async () => {
  const alice = await env.registeredClient('alice', 'Alice Liddell');
  const page = new URL(env.server.url);

  const sameOrigin = await openWebSocket(alice.page, `ws://${page.host}/ws`);
  expect(sameOrigin).toEqual({ opened: true, violatedDirective: null, blockedUri: null });

  // The same server under another name is another origin: the CSP refuses it before connecting.
  const foreign = `ws://localhost:${page.port}/ws`;
  const refused = await openWebSocket(alice.page, foreign);
  expect(refused.opened).toBe(false);
  expect(refused.violatedDirective).toBe('connect-src');
  expect(refused.blockedUri).toContain('localhost');
});

test('the page cannot submit a form anywhere', async () => {
  const bob = await env.newClient();
  const directive = await bob.page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        document.addEventListener(
          'securitypolicyviolation',
          (event) => resolve(event.effectiveDirective),
          { once: true },
        );
        const form = document.createElement('form');
        form.method = 'post';
        form.action = '/collect';
        document.body.append(form);
        form.submit();
      }),
  );
  expect(directive).toBe('form-action');
});

test('loading the web client breaks no rule of its CSP and logs no error', async () => {
  const page = await env.browser.newPage();
  try {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    // Recorded from the first script on, before the app's own code runs.
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    await page.goto(env.server.url);
    await page.getByTestId(testIds.screenFirstRun).waitFor({ timeout: 30_000 });
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    );
    // zod's eval probe was one: script-src has no 'unsafe-eval'.
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
  } finally {
    await page.close();
  }
});

test("the SFU path's chunk is not part of the first load, and loads on demand under the CSP", async () => {
  const chunk = readdirSync(join(RENDERER_DIST, 'chunks')).find(
    (name) => name.startsWith('SfuPath-') && name.endsWith('.js'),
  );
  expect(chunk).toBeDefined();
  const page = await env.browser.newPage();
  try {
    const requested: string[] = [];
    page.on('request', (request) => requested.push(new URL(request.url()).pathname));
    await page.addInitScript(() => {
      const seen: string[] = [];
      Object.assign(window, { cspViolations: seen });
      document.addEventListener('securitypolicyviolation', (event) =>
        seen.push(`${event.effectiveDirective} ${event.blockedURI}`),
      );
    });
    await page.goto(env.server.url);
    await page.getByTestId(testIds.screenFirstRun).waitFor({ timeout: 30_000 });
    expect(requested).toContain('/app.js');
    expect(requested).not.toContain(`/chunks/${chunk}`);

    // What the app does when a call first goes through the SFU: a same-origin module import
    // (as text: the test's own compiler would turn an import() into a require()).
    const exported = await page.evaluate<string[]>(
      `import('/chunks/${chunk}').then((module) => Object.keys(module))`,
    );
    expect(exported.length).toBeGreaterThan(0);
    expect(requested).toContain(`/chunks/${chunk}`);
    const violations = await page.evaluate(
      () => (window as unknown as { cspViolations: string[] }).cspViolations,
    );
    expect(violations).toEqual([]);
  } finally {
    await page.close();
  }
});
