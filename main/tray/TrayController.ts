import type { HostAction } from '../../protocol/ipc';
import { trayView, type TrayMenuEntry, type TrayMenuItemId, type TrayState } from './trayView';

/** The slice of Electron's Tray the controller drives; the adapter maps names to images. */
export interface TrayPort {
  setIcon(icon: string): void;
  setToolTip(text: string): void;
  setTitle(text: string): void;
  setMenu(entries: TrayMenuEntry[], onClick: (id: TrayMenuItemId) => void): void;
}

export interface TrayHandlers {
  toggleWindow(): void;
  hostAction(action: HostAction): void;
  quit(): void;
}

/** Renders the tray for the current state and turns menu clicks into actions. */
export class TrayController {
  private state: TrayState | null = null;

  constructor(
    private readonly port: TrayPort,
    private readonly handlers: TrayHandlers,
  ) {}

  show(state: TrayState): void {
    this.state = state;
    const view = trayView(state);
    this.port.setIcon(view.icon);
    this.port.setToolTip(view.tooltip);
    this.port.setTitle(view.title);
    this.port.setMenu(view.menu, (id) => this.click(id));
  }

  private click(id: TrayMenuItemId): void {
    // A stale menu (clicked after the state moved on) must not act on the new state.
    const entry =
      this.state && trayView(this.state).menu.find((e) => e.kind === 'item' && e.id === id);
    if (!entry || entry.kind !== 'item' || !entry.enabled) return;
    // Mute and hang up name the call the menu was drawn for, 1:1 or group alike.
    const callId = this.state?.call.callId ?? null;
    switch (id) {
      case 'toggle-window':
        return this.handlers.toggleWindow();
      case 'toggle-mute':
        if (callId) this.handlers.hostAction({ kind: 'toggleMute', callId });
        return;
      case 'hang-up':
        if (callId) this.handlers.hostAction({ kind: 'hangUp', callId });
        return;
      case 'quit':
        return this.handlers.quit();
      case 'status':
        return;
    }
  }
}
