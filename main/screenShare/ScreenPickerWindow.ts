import { BrowserWindow } from 'electron';
import { PICKER_PAGE_URL } from '../ipc/senderPolicy';
import { debugLockedDown } from '../security/electronLockdown';
import type { PickerWindowPort } from './ScreenShareBroker';

/**
 * The screen picker: a modal child of the main window, sandboxed, with its own tiny preload. It
 * exists only while one screen-share request waits, so the window titles and thumbnails it shows
 * never reach the main window's page, and the source it sends is the one the user clicked.
 */
export class ScreenPickerWindow implements PickerWindowPort {
  private window: BrowserWindow | null = null;

  constructor(
    private readonly preloadPath: string,
    private readonly mainWindow: () => BrowserWindow | null,
  ) {}

  webContentsId(): number | null {
    return this.window && !this.window.isDestroyed() ? this.window.webContents.id : null;
  }

  open(closed: () => void): void {
    this.close();
    const parent = this.mainWindow();
    const window = new BrowserWindow({
      width: 720,
      height: 520,
      minWidth: 420,
      minHeight: 320,
      parent: parent ?? undefined,
      modal: parent !== null,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      show: false,
      title: 'Share your screen — Parley',
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
      },
    });
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (this.window === window) this.window = null;
      closed();
    });
    this.window = window;
    void window.loadURL(PICKER_PAGE_URL);
  }

  close(): void {
    const window = this.window;
    this.window = null;
    if (window && !window.isDestroyed()) window.destroy();
  }
}
