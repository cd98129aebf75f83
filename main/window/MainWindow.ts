import { app, BrowserWindow, session } from 'electron';
import { APP_START_URL } from '../security/appOrigin';
import { closeDevToolsWhenLockedDown, debugLockedDown } from '../security/electronLockdown';
import { isPermissionAllowed } from '../security/permissions';

/**
 * Hardening that applies to every web contents the app ever creates: no navigation (the app is
 * one page; loadURL is not a navigation event), no new windows, no <webview>, permissions only
 * through the allowlist, to the main window alone (`appWebContentsId`), and, locked down, no
 * DevTools.
 */
export function hardenAllWebContents(appWebContentsId: () => number | null): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-frame-navigate', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    closeDevToolsWhenLockedDown(contents);
  });
  session.defaultSession.setPermissionRequestHandler((contents, permission, callback, details) => {
    callback(
      isPermissionAllowed(
        {
          permission,
          webContentsId: contents.id,
          requestingUrl: details.requestingUrl,
          isMainFrame: details.isMainFrame,
        },
        appWebContentsId(),
      ),
    );
  });
  session.defaultSession.setPermissionCheckHandler((contents, permission, origin, details) =>
    isPermissionAllowed(
      {
        permission,
        webContentsId: contents?.id ?? null,
        requestingUrl: origin,
        isMainFrame: details.isMainFrame,
      },
      appWebContentsId(),
    ),
  );
}

export function createMainWindow(preloadPath: string): BrowserWindow {
  const window = new BrowserWindow({
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Parley',
    show: false,
    webPreferences: {
      preload: preloadPath,
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
      // The installed app cannot be inspected (see security/electronLockdown).
      devTools: !debugLockedDown(),
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(APP_START_URL);
  return window;
}
