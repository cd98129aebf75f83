import { BrowserWindow, screen } from 'electron';
import { INCOMING_PAGE_URL } from '../ipc/senderPolicy';
import { debugLockedDown } from '../security/electronLockdown';
import type { IncomingWindowPort } from './CallAlerts';

const size = { width: 340, height: 168 };
const margin = 16;

/**
 * The small always-on-top incoming-call window: frameless, sandboxed, with its own tiny preload.
 * It appears without taking focus, so a keystroke meant for another app cannot answer the call.
 * Closing it stops the ringtone, which its page plays.
 */
export class IncomingCallWindow implements IncomingWindowPort {
  private window: BrowserWindow | null = null;

  constructor(private readonly preloadPath: string) {}

  webContentsId(): number | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents.id : null;
  }

  open(): void {
    if (this.window && !this.window.isDestroyed()) {
      void this.window.loadURL(INCOMING_PAGE_URL);
      return;
    }
    const { workArea } = screen.getPrimaryDisplay();
    const window = new BrowserWindow({
      ...size,
      x: workArea.x + workArea.width - size.width - margin,
      y: workArea.y + workArea.height - size.height - margin,
      frame: false,
      resizable: false,
      movable: true,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      alwaysOnTop: true,
      skipTaskbar: false,
      show: false,
      title: 'Incoming call — Parley',
      webPreferences: {
        preload: this.preloadPath,
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
        // The ringtone starts without a click: this window exists only to ring.
        autoplayPolicy: 'no-user-gesture-required',
      },
    });
    window.setAlwaysOnTop(true, 'screen-saver');
    window.setVisibleOnAllWorkspaces(true);
    window.once('ready-to-show', () => window.showInactive());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    this.window = window;
    void window.loadURL(INCOMING_PAGE_URL);
  }

  close(): void {
    const window = this.window;
    this.window = null;
    if (window && !window.isDestroyed()) window.destroy();
  }
}
