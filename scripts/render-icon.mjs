// Renders assets/icon.svg to build/icon.png (512x512, transparent corners) with headless Chromium.
// electron-builder makes every platform's icon from that PNG: the Linux icon set, and the .icns /
// .ico when it builds on macOS / Windows. Run it again after changing the SVG, and commit the PNG.
import { chromium } from 'playwright-core';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const size = 512;
const svg = readFileSync(join(root, 'assets', 'icon.svg'), 'utf8');
const output = join(root, 'build', 'icon.png');

// No network: the page is a data URL and Chromium gets no DNS (rules map every host to nothing).
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--host-resolver-rules=MAP * ~NOTFOUND'],
});
try {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  const svgUrl = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
  await page.setContent(
    `<html><body style="margin:0;background:transparent">` +
      `<img src="${svgUrl}" width="${size}" height="${size}" style="display:block"></body></html>`,
  );
  await page.locator('img').evaluate((img) => img.decode());
  const png = await page.screenshot({
    omitBackground: true,
    clip: { x: 0, y: 0, width: size, height: size },
  });
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, png);
  console.log(`render-icon: wrote ${output} (${size}x${size}, ${png.length} bytes)`);
} finally {
  await browser.close();
}
