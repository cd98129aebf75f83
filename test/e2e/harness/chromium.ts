import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; Playwright's own browser builds cannot be downloaded on this machine. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for calls between pages of one headless Chromium, kept on loopback: fake camera and mic
 * without a permission prompt, 127.0.0.1 ICE candidates (no mDNS, no interface addresses), no DNS
 * look-ups and none of Chromium's own background traffic.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
  '--disable-features=WebRtcHideLocalIpsWithMdns',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * `cameras`: how many fake cameras Chromium offers (fake_device_0, fake_device_1, ...);
 * `extraArgs`: more flags (e.g. trusting a test certificate); `askForMedia`: no automatic yes to
 * camera and microphone, so each context decides (`grantPermissions`; what it does not grant, the
 * headless browser refuses, as a user who clicked "Block").
 */
export function launchChromium(
  options: { cameras?: number; extraArgs?: string[]; askForMedia?: boolean } = {},
): Promise<Browser> {
  const args = CHROMIUM_ARGS.filter(
    (arg) => !(options.askForMedia && arg === '--use-fake-ui-for-media-stream'),
  ).map((arg) =>
    arg === '--use-fake-device-for-media-stream' && options.cameras !== undefined
      ? `${arg}=device-count=${options.cameras}`
      : arg,
  );
  args.push(...(options.extraArgs ?? []));
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args });
}
