import { app, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import { hostActionChannel, type HostAction } from '../../protocol/ipc';
import { deepLinkFromArgv } from '../deepLink/deepLink';
import { CallAlerts } from '../incoming/CallAlerts';
import { createElectronNotifications } from '../incoming/electronNotifications';
import { IncomingCallWindow } from '../incoming/IncomingCallWindow';
import type { IpcServices } from '../ipc/IpcHandlers';
import { ScreenPickerWindow } from '../screenShare/ScreenPickerWindow';
import { createScreenShareBroker } from '../screenShare/electronScreenShare';
import { DesktopSettingsService } from '../settings/DesktopSettingsService';
import { SettingsFile } from '../settings/SettingsFile';
import { electronGlobalShortcut } from '../shortcuts/electronGlobalShortcut';
import { ShortcutController } from '../shortcuts/ShortcutController';
import { createElectronTray } from '../tray/electronTray';
import { TrayController } from '../tray/TrayController';
import { DesktopController, type MainWindowPort } from './DesktopController';

export interface DesktopShellOptions {
  /** dist/: holds preload/ and renderer/assets/. */
  distDir: string;
  userDataDir: string;
  mainWindow(): BrowserWindow | null;
  log(message: string): void;
}

/**
 * Wires the tray, incoming-call alerts, global shortcuts, settings, deep links and screen share
 * to Electron. Every decision lives in the controllers; this file only connects them.
 */
export async function startDesktopShell(options: DesktopShellOptions) {
  const { log } = options;
  const assetsDir = join(options.distDir, 'renderer', 'assets');
  const window = (): BrowserWindow | null => {
    const current = options.mainWindow();
    return current && !current.isDestroyed() ? current : null;
  };
  const mainWindow: MainWindowPort = {
    isVisible: () => window()?.isVisible() ?? false,
    isFocused: () => window()?.isFocused() ?? false,
    show() {
      const current = window();
      if (!current) return;
      if (current.isMinimized()) current.restore();
      current.show();
      current.focus();
    },
    hide: () => window()?.hide(),
  };
  const sendHostAction = (action: HostAction): boolean => {
    const current = window();
    if (!current) return false;
    current.webContents.send(hostActionChannel, action);
    return true;
  };

  const incomingWindow = new IncomingCallWindow(
    join(options.distDir, 'preload', 'incomingPreload.js'),
  );
  let settings: DesktopSettingsService | null = null;
  let controller: DesktopController | null = null;
  const alerts = new CallAlerts({
    notifications: createElectronNotifications(join(assetsDir, 'tray', 'ringing@2x.png')),
    incomingWindow,
    attention: {
      mainWindowHasAttention: () => mainWindow.isVisible() && mainWindow.isFocused(),
      showMainWindow: () => mainWindow.show(),
    },
    doNotDisturb: () => settings?.get().doNotDisturb ?? false,
    log,
    onMissedCall: () => controller?.countMissedCall(),
  });
  const tray = new TrayController(createElectronTray(join(assetsDir, 'tray')), {
    toggleWindow: () => controller?.toggleMainWindow(),
    hostAction: (action) => controller?.hostAction(action),
    quit: () => app.quit(),
  });
  controller = new DesktopController({
    mainWindow,
    tray,
    alerts,
    sendHostAction,
    closeToTray: () => settings?.get().closeToTray ?? true,
    log,
  });
  const desktop = controller;
  const shortcuts = new ShortcutController(
    electronGlobalShortcut,
    (action) => desktop.shortcutPressed(action),
    { sessionType: process.env.XDG_SESSION_TYPE },
  );
  settings = await DesktopSettingsService.load(
    new SettingsFile(options.userDataDir, log),
    shortcuts,
    process.platform,
    log,
  );
  const loadedSettings = settings;
  const pickerWindow = new ScreenPickerWindow(
    join(options.distDir, 'preload', 'pickerPreload.js'),
    options.mainWindow,
  );
  const screenShare = createScreenShareBroker(
    () => options.mainWindow()?.webContents.id ?? null,
    pickerWindow,
    log,
  );
  desktop.start();

  app.on('before-quit', () => desktop.beginQuit());
  // macOS: clicking the dock icon brings a window hidden to the tray back.
  app.on('activate', () => mainWindow.show());
  app.on('will-quit', () => shortcuts.unregisterAll());

  const services: Pick<IpcServices, 'callState' | 'settings' | 'screenShare' | 'incoming'> = {
    callState: { report: (report) => desktop.report(report) },
    settings: loadedSettings,
    screenShare,
    incoming: {
      current: () => desktop.incomingCall(),
      accept: (choice) => desktop.acceptFromIncomingWindow(choice),
      decline: (choice) => desktop.declineFromIncomingWindow(choice),
    },
  };
  return {
    services,
    incomingWebContentsId: () => incomingWindow.webContentsId(),
    pickerWebContentsId: () => pickerWindow.webContentsId(),
    /** Close-to-tray and the missed-call reset follow the main window's events. */
    attachMainWindow(win: BrowserWindow): void {
      win.on('close', (event) => {
        if (desktop.closeRequested()) event.preventDefault();
      });
      win.on('focus', () => desktop.mainWindowAttended());
      win.on('show', () => desktop.mainWindowAttended());
      win.on('hide', () => desktop.mainWindowVisibilityChanged());
    },
    /** A deep link from argv (first start, second instance) or macOS's open-url. */
    openFromArgv(argv: readonly string[]): void {
      const url = deepLinkFromArgv(argv);
      if (url) desktop.deepLink(url);
    },
    openUrl: (url: string) => desktop.deepLink(url),
    showMainWindow: () => mainWindow.show(),
  };
}

export type DesktopShell = Awaited<ReturnType<typeof startDesktopShell>>;
