// Renders the tray icons in assets/tray/ from SVG with headless Chromium (playwright-core):
// idle, ringing, in-call, muted, and missed-1 ... missed-9, missed-9plus, each at 32 px and 64 px
// (@2x, which Electron picks on HiDPI screens). Run: node scripts/tray-icons.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'assets', 'tray');

// The handset of assets/icon.svg.
const handset =
  'M74 62c-10 0-20 10-20 22 0 66 52 118 118 118 12 0 22-10 22-20v-20c0-6-4-10-10-12l-28-8c-5-1-10 0-13 4l-9 11c-22-10-39-27-49-49l11-9c4-3 5-8 4-13l-8-28c-2-6-6-10-12-10z';
const colors = { idle: '#56665f', live: '#1a9f62', ringing: '#e08a00', alert: '#e03131' };

function tile(color, extra = '') {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 256 256" width="256" height="256">
    <rect x="8" y="8" width="240" height="240" rx="56" fill="${color}"/>
    <path d="${handset}" fill="#fff"/>${extra}</svg>`;
}

const soundWaves = `<g fill="none" stroke="#fff" stroke-width="18" stroke-linecap="round">
  <path d="M150 70a50 50 0 0 1 36 36"/><path d="M152 30a90 90 0 0 1 74 74"/></g>`;
const badge = (
  text,
) => `<circle cx="188" cy="68" r="64" fill="${colors.alert}" stroke="#fff" stroke-width="10"/>
  <text x="188" y="${text.length > 1 ? 96 : 104}" text-anchor="middle" font-family="DejaVu Sans, Arial, sans-serif"
    font-weight="700" font-size="${text.length > 1 ? 80 : 100}" fill="#fff">${text}</text>`;
const muteBadge = `<circle cx="188" cy="188" r="60" fill="${colors.alert}" stroke="#fff" stroke-width="10"/>
  <line x1="156" y1="156" x2="220" y2="220" stroke="#fff" stroke-width="20" stroke-linecap="round"/>`;

const icons = {
  idle: tile(colors.idle),
  ringing: tile(colors.ringing, soundWaves),
  'in-call': tile(colors.live, soundWaves),
  muted: tile(colors.live, muteBadge),
  ...Object.fromEntries(
    [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => [`missed-${n}`, tile(colors.idle, badge(String(n)))]),
  ),
  'missed-9plus': tile(colors.idle, badge('9+')),
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
try {
  mkdirSync(outDir, { recursive: true });
  for (const [scale, suffix] of [
    [32, ''],
    [64, '@2x'],
  ]) {
    const page = await browser.newPage({ viewport: { width: scale, height: scale } });
    for (const [name, svg] of Object.entries(icons)) {
      const sized = svg.replace('width="256" height="256"', `width="${scale}" height="${scale}"`);
      await page.setContent(
        `<html><body style="margin:0;background:transparent">${sized}</body></html>`,
      );
      const png = await page.screenshot({
        omitBackground: true,
        clip: { x: 0, y: 0, width: scale, height: scale },
      });
      writeFileSync(join(outDir, `${name}${suffix}.png`), png);
    }
    await page.close();
  }
} finally {
  await browser.close();
}
console.log(`wrote ${Object.keys(icons).length * 2} icons to ${outDir}`);
