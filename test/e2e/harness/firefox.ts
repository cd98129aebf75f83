import puppeteer, { type Browser } from 'puppeteer-core';
import type { ClientOptions } from './parleyClient';
import { ParleyUser, START_UP_TIMEOUT_MS } from './parleyUser';
import { trackPeerConnections } from './peerConnectionTracker';
import { puppeteerPagePort } from './puppeteerPagePort';
import { recordScreens } from './screenRecorder';

/**
 * Debian's Firefox ESR, driven by puppeteer-core over WebDriver BiDi: playwright-core drives only
 * its own patched Firefox build, which cannot be downloaded on this machine.
 */
export const FIREFOX_PATH = '/usr/bin/firefox-esr';

/**
 * Preferences for calls between pages of one headless Firefox, kept on loopback, on top of the
 * ones puppeteer already sets (no update checks, no safe-browsing lists, no Normandy, remote
 * settings pointed at a dummy host). The loopback-only network namespace the e2e tests run in
 * remains the fence: Firefox reaches out to its own services even with all of these off.
 */
export const FIREFOX_PREFS: Readonly<Record<string, boolean | number | string>> = {
  // Fake camera and microphone, no permission prompt.
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  // A page without a granted camera or mic gets only the default-route address as its ICE
  // candidate, and the loopback-only namespace has no default route: these two make Firefox
  // gather its 127.0.0.1 candidate, so two pages of the machine can connect.
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.peerconnection.ice.loopback': true,
  // Candidates carry plain addresses instead of mDNS names, which nothing here could resolve.
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // This machine has no sound server, so Firefox could open no audio output and every Web Audio
  // context would stay suspended (the mic meter, the tones): Firefox's own mock audio backend, as
  // Chromium's headless mode has a fake output.
  'media.cubeb.force_mock_context': true,
  // Several clients share the browser as tabs, one in the foreground: the others must keep their
  // timers running at full speed (the harness polls in the page), as each user's own window would.
  'dom.min_background_timeout_value': 4,
  'dom.timeout.enable_budget_timer_throttling': false,
  // Held to loopback even where the tests run without their loopback-only namespace (npm test as
  // a user that cannot make one): every proxy is a closed loopback port, names are resolved only
  // through it, and loopback itself bypasses proxies, as Chromium's --host-resolver-rules do.
  'network.proxy.type': 1,
  'network.proxy.http': '127.0.0.1',
  'network.proxy.http_port': 9,
  'network.proxy.ssl': '127.0.0.1',
  'network.proxy.ssl_port': 9,
  'network.proxy.socks': '127.0.0.1',
  'network.proxy.socks_port': 9,
  'network.proxy.socks_remote_dns': true,
  'network.proxy.allow_hijacking_localhost': false,
  // None of Firefox's own background traffic: updates, Normandy studies, telemetry, captive-portal
  // and connectivity probes, safe-browsing list downloads, the region look-up, the OpenH264
  // plugin download, DNS and link prefetching (Firefox ESR 153 names; puppeteer's defaults
  // already point remote settings at a dummy host and turn speculative connections off).
  'app.update.auto': false,
  'app.normandy.enabled': false,
  'app.shield.optoutstudies.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': '',
  'datareporting.usage.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.healthreport.uploadEnabled': false,
  'extensions.update.enabled': false,
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'browser.safebrowsing.update.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'media.gmp-gmpopenh264.enabled': false,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
};

export function launchFirefox(): Promise<Browser> {
  return puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_PATH,
    headless: true,
    extraPrefsFirefox: { ...FIREFOX_PREFS },
  });
}

/**
 * One user of the web client in Firefox: its own browser context (own IndexedDB, own fake camera
 * and mic) and page, with the same connection tracker and screen recorder as in Chromium.
 */
export async function openFirefoxUser(
  browser: Browser,
  serverUrl: string,
  options: Pick<ClientOptions, 'url' | 'initScripts'> = {},
): Promise<ParleyUser> {
  const context = await browser.createBrowserContext();
  try {
    const page = await context.newPage();
    for (const script of [trackPeerConnections, recordScreens, ...(options.initScripts ?? [])]) {
      await page.evaluateOnNewDocument(script);
    }
    const user = new ParleyUser(puppeteerPagePort(page), () => context.close());
    await page.goto(options.url ?? serverUrl, { timeout: START_UP_TIMEOUT_MS });
    return user;
  } catch (error) {
    await context.close();
    throw error;
  }
}
