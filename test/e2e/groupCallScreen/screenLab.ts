import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/rendererBuild';
import type { ScreenRequest, ViewSpec } from './screenLabPage';

/** The app page's own Content-Security-Policy, so the lab page draws under the same rules. */
function appPolicyMeta(): string {
  const html = readFileSync(join(REPO_ROOT, 'renderer', 'index.html'), 'utf8');
  const meta = /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/.exec(html);
  if (!meta) throw new Error('renderer/index.html has no CSP meta');
  return meta[0];
}

/**
 * GroupCallScreen alone in a Chromium page, with the app's stylesheet and CSP: the test gives it
 * a view and reads back what it asked for, as the RoomClient would. Console errors and CSP
 * violations are collected, so a test can say there were none.
 */
export class ScreenLab {
  /** Everything the screen asked for so far, oldest first. */
  readonly requests: ScreenRequest[] = [];
  readonly problems: string[] = [];

  private constructor(
    readonly page: Page,
    private readonly http: Server,
  ) {}

  static async start(browser: Browser, viewport = { width: 1280, height: 720 }) {
    const bundle = await esbuild.build({
      entryPoints: [join(__dirname, 'screenLabPage.tsx')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      jsx: 'automatic',
      jsxImportSource: 'preact',
      absWorkingDir: REPO_ROOT,
      define: { 'process.env.NODE_ENV': '"production"' },
      logLevel: 'warning',
    });
    const html = [
      '<!doctype html><html lang="en"><head><meta charset="utf-8">',
      appPolicyMeta(),
      // No favicon request (a 404 would show as a console error).
      '<link rel="icon" href="data:,"><link rel="stylesheet" href="styles.css"></head>',
      '<body><script src="lab.js"></script></body></html>',
    ].join('');
    const files: Record<string, [string, Buffer | string]> = {
      '/': ['text/html', html],
      '/lab.js': ['text/javascript', bundle.outputFiles[0]!.text],
      '/styles.css': ['text/css', readFileSync(join(REPO_ROOT, 'renderer', 'styles.css'))],
    };
    const http = createServer((request, response) => {
      const file = files[request.url ?? ''];
      if (!file) return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': file[0] }).end(file[1]);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    const page = await browser.newPage({ viewport });
    const lab = new ScreenLab(page, http);
    page.on('pageerror', (error) => lab.problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error') lab.problems.push(`console error: ${message.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) =>
        console.error(`CSP violation: ${event.violatedDirective} ${event.sourceFile}`),
      );
    });
    await page.goto(`http://127.0.0.1:${port}/`);
    await page.waitForFunction(() => window.screenLab !== undefined);
    return lab;
  }

  async show(spec: ViewSpec): Promise<void> {
    await this.page.evaluate((s) => window.screenLab.show(s), spec);
  }

  /** Takes the screen away (a call that ended): the next `show` starts a fresh one. */
  async clear(): Promise<void> {
    await this.page.evaluate(() => window.screenLab.clear());
  }

  /** Reads what the screen asked for since the last read into `requests`. */
  async collect(): Promise<ScreenRequest[]> {
    const fresh = await this.page.evaluate(() => window.screenLab.takeRequests());
    this.requests.push(...fresh);
    return this.requests;
  }

  /** The last size the screen reported for a participant's video (undefined: none yet). */
  async lastSize(slot: number, source: 'camera' | 'screen') {
    const all = await this.collect();
    const reports = all.filter(
      (r): r is Extract<ScreenRequest, { action: 'tileResized' }> =>
        r.action === 'tileResized' && r.slot === slot && r.source === source,
    );
    return reports.length === 0 ? undefined : reports[reports.length - 1]!.size;
  }

  async close(): Promise<void> {
    await this.page.close();
    await new Promise((resolve) => this.http.close(resolve));
  }
}
