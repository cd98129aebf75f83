import type { HostAction } from '../../../protocol/ipc';
import { DesktopController, type MainWindowPort } from '../../../main/desktop/DesktopController';
import {
  CallAlerts,
  type IncomingWindowPort,
  type NotificationPort,
} from '../../../main/incoming/CallAlerts';
import type { GlobalShortcutPort } from '../../../main/shortcuts/ShortcutController';
import { TrayController, type TrayPort } from '../../../main/tray/TrayController';
import type { TrayMenuEntry, TrayMenuItemId } from '../../../main/tray/trayView';

/**
 * Stand-ins for the Electron objects behind the ports (no Electron binary runs here). Each one
 * records what a user would see: registered keys, the tray's icon and menu, notifications shown
 * and still open, whether the incoming window (and so the ringtone) is up.
 */
export class FakeGlobalShortcuts implements GlobalShortcutPort {
  readonly callbacks = new Map<string, () => void>();
  /** Accelerators another application holds. */
  readonly takenElsewhere = new Set<string>();
  refuseAll = false;

  register(accelerator: string, callback: () => void): boolean {
    if (this.refuseAll || this.takenElsewhere.has(accelerator) || this.callbacks.has(accelerator)) {
      return false;
    }
    this.callbacks.set(accelerator, callback);
    return true;
  }
  unregister(accelerator: string): void {
    this.callbacks.delete(accelerator);
  }
  isRegistered(accelerator: string): boolean {
    return this.callbacks.has(accelerator);
  }
  press(accelerator: string): void {
    const callback = this.callbacks.get(accelerator);
    if (!callback) throw new Error(`${accelerator} is not registered`);
    callback();
  }
}

export class FakeTray implements TrayPort {
  icon = '';
  toolTip = '';
  title = '';
  menu: TrayMenuEntry[] = [];
  private onClick: (id: TrayMenuItemId) => void = () => undefined;

  setIcon(icon: string): void {
    this.icon = icon;
  }
  setToolTip(text: string): void {
    this.toolTip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setMenu(entries: TrayMenuEntry[], onClick: (id: TrayMenuItemId) => void): void {
    this.menu = entries;
    this.onClick = onClick;
  }
  item(id: TrayMenuItemId) {
    const entry = this.menu.find((e) => e.kind === 'item' && e.id === id);
    if (!entry || entry.kind !== 'item') throw new Error(`no menu item ${id}`);
    return entry;
  }
  /** Menu labels as shown, separators as "---", disabled items in brackets. */
  menuText(): string[] {
    return this.menu.map((e) =>
      e.kind === 'separator' ? '---' : e.enabled ? e.label : `[${e.label}]`,
    );
  }
  click(id: TrayMenuItemId): void {
    this.onClick(id);
  }
}

export class FakeNotifications implements NotificationPort {
  readonly shown: { title: string; body: string; open: boolean; click: () => void }[] = [];

  show(content: { title: string; body: string }, onClick: () => void) {
    const record = { ...content, open: true, click: onClick };
    this.shown.push(record);
    return {
      close() {
        record.open = false;
      },
    };
  }
  titles(): string[] {
    return this.shown.map((n) => n.title);
  }
  openTitles(): string[] {
    return this.shown.filter((n) => n.open).map((n) => n.title);
  }
}

export class FakeIncomingWindow implements IncomingWindowPort {
  open_ = false;
  opened = 0;
  open(): void {
    this.open_ = true;
    this.opened += 1;
  }
  close(): void {
    this.open_ = false;
  }
  /** The incoming page plays the ringtone exactly while its window is open. */
  get ringtonePlaying(): boolean {
    return this.open_;
  }
}

export class FakeMainWindow implements MainWindowPort {
  constructor(
    public visible = true,
    public focused = true,
  ) {}
  isVisible(): boolean {
    return this.visible;
  }
  isFocused(): boolean {
    return this.focused;
  }
  show(): void {
    this.visible = true;
    this.focused = true;
  }
  hide(): void {
    this.visible = false;
    this.focused = false;
  }
}

/** A DesktopController over fakes, wired the way main/desktop/desktopShell.ts wires Electron. */
export function createDesktop(options: { visible?: boolean; focused?: boolean } = {}) {
  const mainWindow = new FakeMainWindow(options.visible ?? true, options.focused ?? true);
  const tray = new FakeTray();
  const notifications = new FakeNotifications();
  const incomingWindow = new FakeIncomingWindow();
  const sent: HostAction[] = [];
  const log: string[] = [];
  const settings = { doNotDisturb: false, closeToTray: true };
  let rendererAlive = true;
  let controller: DesktopController | null = null;
  const alerts = new CallAlerts({
    notifications,
    incomingWindow,
    attention: {
      mainWindowHasAttention: () => mainWindow.isVisible() && mainWindow.isFocused(),
      showMainWindow: () => mainWindow.show(),
    },
    doNotDisturb: () => settings.doNotDisturb,
    log: (message) => log.push(message),
    onMissedCall: () => controller?.countMissedCall(),
  });
  let quitRequested = 0;
  const trayController = new TrayController(tray, {
    toggleWindow: () => controller?.toggleMainWindow(),
    hostAction: (action) => controller?.hostAction(action),
    quit: () => {
      quitRequested += 1;
    },
  });
  controller = new DesktopController({
    mainWindow,
    tray: trayController,
    alerts,
    sendHostAction: (action) => {
      if (!rendererAlive) return false;
      sent.push(action);
      return true;
    },
    closeToTray: () => settings.closeToTray,
    log: (message) => log.push(message),
  });
  controller.start();
  return {
    controller,
    mainWindow,
    tray,
    notifications,
    incomingWindow,
    sent,
    log,
    settings,
    quitRequests: () => quitRequested,
    closeRenderer() {
      rendererAlive = false;
    },
  };
}
