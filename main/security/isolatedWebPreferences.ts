import type { WebPreferences } from 'electron';

/**
 * The web preferences of every window Parley opens: its page is untrusted, so it runs sandboxed
 * and context-isolated with only the preload's bridge, and can neither reach Node nor relax web
 * security. `devTools` is off when debugging is locked down (see security/electronLockdown).
 */
export function isolatedWebPreferences(preload: string, devTools: boolean): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
    // A middle click would ask for a new window; denied anyway, but never even raised.
    disableBlinkFeatures: 'Auxclick',
    devTools,
  };
}
