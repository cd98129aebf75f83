import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../e2e/harness/chromium';

/** The e2e flags that only make sense on loopback, replaced below by the lab's own. */
const LOOPBACK_ONLY = ['--allow-loopback-in-peer-connection', '--host-resolver-rules='];

/**
 * A headless Chromium inside a peer's namespace: Playwright starts a two-line wrapper that execs
 * Chromium through `ip netns exec` (its control pipes survive the exec). No DNS at all except
 * the IP literals of coturn and the server (the resolver rule would refuse even those on TCP
 * paths), real interface addresses as host candidates (no mDNS), the server's plain-HTTP origin
 * treated as secure for getUserMedia, and the lab's TURN certificate trusted by its key hash.
 */
export function launchChromiumIn(options: {
  namespace: string;
  folder: string;
  turnHost: string;
  serverHost: string;
  serverOrigin: string;
  turnSpkiHash: string;
}): Promise<Browser> {
  const wrapper = join(options.folder, `chromium-${options.namespace}`);
  writeFileSync(
    wrapper,
    `#!/bin/sh\nexec ip netns exec ${options.namespace} ${CHROMIUM_PATH} "$@"\n`,
  );
  chmodSync(wrapper, 0o755);
  const args = [
    ...CHROMIUM_ARGS.filter((arg) => !LOOPBACK_ONLY.some((flag) => arg.startsWith(flag))),
    `--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE ${options.turnHost}, EXCLUDE ${options.serverHost}`,
    `--unsafely-treat-insecure-origin-as-secure=${options.serverOrigin}`,
    `--ignore-certificate-errors-spki-list=${options.turnSpkiHash}`,
  ];
  return chromium.launch({ executablePath: wrapper, headless: true, args });
}
