import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './harness/chromium';
import { RENDERER_FILES_ORIGIN, rendererFilesPage } from './harness/rendererFilesPage';

// The screen picker window's real page (dist/renderer/picker.*) in real Chromium. Only the
// bridge its preload would expose is stood in for: without Electron there is no preload.
jest.setTimeout(120_000);

/** A 1x1 PNG, as main's thumbnails arrive. */
const thumbnail =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
/** A window title another program chose: markup that must stay text. */
const hostileTitle = '<img src=x onerror="window.__ran=1">Inbox';

let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens the picker page listing two sources; the stand-in bridge records the choices sent. */
async function pickerPage(): Promise<Page> {
  const page = await rendererFilesPage(browser);
  await page.addInitScript(
    ({ image, title }) => {
      const sources = [
        { id: 'screen:0:0', name: 'Entire screen', kind: 'screen', thumbnail: image },
        { id: 'window:42:0', name: title, kind: 'window', thumbnail: image },
      ];
      const chosen: unknown[] = [];
      Object.assign(window, {
        __chosen: chosen,
        parleyPicker: {
          getSources: () => Promise.resolve(sources),
          choose: (choice: unknown) => {
            chosen.push(choice);
            return Promise.resolve(null);
          },
        },
      });
    },
    { image: thumbnail, title: hostileTitle },
  );
  await page.goto(`${RENDERER_FILES_ORIGIN}/picker.html`);
  await page.locator('[data-testid="picker-source-window:42:0"]').waitFor();
  return page;
}

const chosen = (page: Page) =>
  page.evaluate(() => (window as unknown as { __chosen: unknown[] }).__chosen);

test('shows each window title as text, with its thumbnail', async () => {
  const page = await pickerPage();
  const option = page.locator('[data-testid="picker-source-window:42:0"]');
  await expect(option.innerText()).resolves.toBe(hostileTitle);
  await expect(option.locator('img').count()).resolves.toBe(1);
  await expect(page.locator('[data-testid="picker-sources"] img[src="x"]').count()).resolves.toBe(
    0,
  );
  await expect(page.evaluate(() => (window as unknown as { __ran?: number }).__ran)).resolves.toBe(
    undefined,
  );
  await expect(page.locator('[data-testid="picker-source-screen:0:0"]').innerText()).resolves.toBe(
    'Screen: Entire screen',
  );
  await page.close();
});

test('sends the source the user clicked, with the audio choice, once', async () => {
  const page = await pickerPage();
  await page.locator('[data-testid="picker-audio"]').check();
  await page.locator('[data-testid="picker-source-window:42:0"]').click();
  await page.locator('[data-testid="picker-source-screen:0:0"]:disabled').waitFor();
  await expect(chosen(page)).resolves.toEqual([{ sourceId: 'window:42:0', audio: true }]);
  await page.close();
});

test('sends a cancel when the user presses Cancel', async () => {
  const page = await pickerPage();
  await page.locator('[data-testid="picker-cancel"]').click();
  await page.locator('[data-testid="picker-cancel"]:disabled').waitFor();
  await expect(chosen(page)).resolves.toEqual([{ sourceId: null, audio: false }]);
  await page.close();
});
