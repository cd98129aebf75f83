import { readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { RENDERER_DIST } from './rendererBuild';

/** The made-up origin a window's own page is loaded from: nothing listens there. */
export const RENDERER_FILES_ORIGIN = 'http://parley.test';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * A new page of `browser` whose requests to RENDERER_FILES_ORIGIN are answered from the built
 * renderer (dist/renderer), as Electron loads a window's own page from its files: a file at the
 * top of it, of a known type; anything else is a 404.
 */
export async function rendererFilesPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  await page.route(`${RENDERER_FILES_ORIGIN}/**`, (route) => {
    const file = new URL(route.request().url()).pathname.slice(1);
    const type = contentTypes[extname(file)];
    if (!type || file.includes('/')) return route.fulfill({ status: 404 });
    return route.fulfill({ body: readFileSync(join(RENDERER_DIST, file)), contentType: type });
  });
  return page;
}
