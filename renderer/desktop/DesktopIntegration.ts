import { effect, signal } from '@preact/signals';
import type { CallStateReport, DesktopSettings, ShortcutStatus } from '../../protocol';
import type { DesktopCapabilities } from '../host/Host';
import type { CallController } from '../state/CallController';
import { callStateReport, sameReport } from './callStateReport';
import { handleHostAction, type HostActionTargets } from './HostActionHandler';
import { defaultShortcuts, shortcutActionFor, type ShortcutMap } from './keyboardShortcuts';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/**
 * The renderer's side of the desktop shell: every call-state change goes to main (tray,
 * notifications, global shortcuts), main's actions are carried out here, and the in-window
 * shortcuts (in the browser too) use the configured accelerators.
 */
export class DesktopIntegration {
  readonly settings = signal<DesktopSettings | null>(null);
  readonly shortcutStatus = signal<ShortcutStatus[]>([]);
  readonly settingsError = signal<string | null>(null);
  private readonly shortcuts = signal<ShortcutMap>(defaultShortcuts);
  private lastReport: CallStateReport | null = null;

  constructor(
    private readonly calls: CallController,
    private readonly targets: HostActionTargets,
    readonly desktop: DesktopCapabilities | undefined,
  ) {}

  start(): void {
    window.addEventListener('keydown', (event) => this.onKey(event));
    const desktop = this.desktop;
    if (!desktop) return;
    effect(() => {
      const report = callStateReport(this.calls.machine.value, this.calls.media.muted.value);
      if (sameReport(this.lastReport, report)) return;
      this.lastReport = report;
      desktop.reportCallState(report).catch((error: unknown) => {
        console.warn('parley: call state report failed', error);
      });
    });
    desktop.onHostAction((action) => handleHostAction(action, this.targets));
    void this.loadSettings();
  }

  async loadSettings(): Promise<void> {
    if (!this.desktop) return;
    try {
      const settings = await this.desktop.getSettings();
      this.settings.value = settings;
      this.shortcuts.value = settings.shortcuts;
      this.shortcutStatus.value = await this.desktop.getShortcutStatus();
    } catch (error) {
      this.settingsError.value = describe(error);
    }
  }

  /** Saves the desktop settings; main answers with what it kept, and the shortcut status. */
  async saveSettings(settings: DesktopSettings): Promise<void> {
    if (!this.desktop) return;
    this.settingsError.value = null;
    try {
      const saved = await this.desktop.setSettings(settings);
      this.settings.value = saved;
      this.shortcuts.value = saved.shortcuts;
      this.shortcutStatus.value = await this.desktop.getShortcutStatus();
    } catch (error) {
      this.settingsError.value = describe(error);
    }
  }

  private onKey(event: KeyboardEvent): void {
    const action = shortcutActionFor(this.shortcuts.value, event, isMac);
    if (!action) return;
    // A global shortcut main registered fires in the window too; acting twice would undo it.
    if (this.shortcutStatus.value.some((s) => s.action === action && s.registered)) return;
    event.preventDefault();
    const kind = this.calls.view.value.kind;
    if (action === 'acceptCall') {
      if (kind === 'incoming') this.targets.accept('video');
    } else if (action === 'declineCall') {
      if (kind === 'incoming') this.targets.decline();
    } else if (action === 'hangUp') this.targets.hangup();
    else this.targets.toggleMute();
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : 'The desktop settings could not be read';
}
