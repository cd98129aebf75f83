import { computed, effect, signal, type ReadonlySignal } from '@preact/signals';
import type { CallStateReport, DesktopSettings, ShortcutStatus } from '../../protocol';
import type { DesktopCapabilities } from '../host/Host';
import type { CallController } from '../state/CallController';
import type { CurrentCall } from '../state/CurrentCall';
import type { RoomClient } from '../state/RoomClient';
import { reportToMain, sameReport } from './callStateReport';
import { handleHostAction, type HostActionTargets } from './HostActionHandler';
import { defaultShortcuts, shortcutActionFor } from './keyboardShortcuts';

const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/**
 * The renderer's side of the desktop shell: every change of the current call or of a call ringing
 * here goes to main (tray, notifications, global shortcuts), 1:1 and group calls alike; main's
 * actions are carried out here, and the in-window shortcuts (in the browser too) use the
 * configured accelerators.
 */
export class DesktopIntegration {
  readonly settings = signal<DesktopSettings | null>(null);
  readonly shortcutStatus = signal<ShortcutStatus[]>([]);
  readonly settingsError = signal<string | null>(null);
  private readonly shortcuts = computed(() => this.settings.value?.shortcuts ?? defaultShortcuts);
  private lastReport: CallStateReport | null = null;

  constructor(
    /** The call we are in, which the tray shows. */
    private readonly currentCall: ReadonlySignal<CurrentCall | null>,
    /** A 1:1 call ringing here, or how the last one ended. */
    private readonly calls: Pick<CallController, 'machine'>,
    /** Group calls ring through main as 1:1 calls do. */
    private readonly rooms: Pick<RoomClient, 'incoming' | 'inviteEnded'>,
    private readonly targets: HostActionTargets,
    readonly desktop: DesktopCapabilities | undefined,
  ) {}

  start(): void {
    window.addEventListener('keydown', (event) => this.onKey(event));
    const desktop = this.desktop;
    if (!desktop) return;
    effect(() => {
      const report = reportToMain(
        {
          current: this.currentCall.value,
          oneToOne: this.calls.machine.value,
          groupInvite: this.rooms.incoming.value,
          groupInviteEnded: this.rooms.inviteEnded.value,
        },
        this.lastReport,
      );
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
      this.settings.value = await this.desktop.getSettings();
      this.shortcutStatus.value = await this.desktop.getShortcutStatus();
    } catch (error) {
      console.warn('parley: could not read the desktop settings', error);
      this.settingsError.value =
        "Your desktop settings couldn't be read. Restart Parley and try again.";
    }
  }

  /** Saves the desktop settings; main answers with what it kept, and the shortcut status. */
  async saveSettings(settings: DesktopSettings): Promise<void> {
    if (!this.desktop) return;
    this.settingsError.value = null;
    try {
      this.settings.value = await this.desktop.setSettings(settings);
      this.shortcutStatus.value = await this.desktop.getShortcutStatus();
    } catch (error) {
      console.warn('parley: could not save the desktop settings', error);
      this.settingsError.value = "Your desktop settings couldn't be saved. Try again.";
    }
  }

  private onKey(event: KeyboardEvent): void {
    const action = shortcutActionFor(this.shortcuts.value, event, isMac);
    if (!action) return;
    // A global shortcut main registered fires in the window too; acting twice would undo it.
    if (this.shortcutStatus.value.some((s) => s.action === action && s.registered)) return;
    event.preventDefault();
    // The call actions themselves ignore what does not fit the call's state. Accepting by key is
    // audio only, as with main's global shortcut: a blind keypress never turns the camera on.
    if (action === 'acceptCall')
      return handleHostAction({ kind: action, media: 'audio' }, this.targets);
    if (action === 'declineCall') return handleHostAction({ kind: action }, this.targets);
    const callId = this.targets.currentCallId();
    if (callId) handleHostAction({ kind: action, callId }, this.targets);
  }
}
