import type { DesktopSettings, ShortcutAction, ShortcutStatus } from '../../protocol/ipc';

/** The slice of Electron's `globalShortcut` the controller uses. */
export interface GlobalShortcutPort {
  /** False when the OS refused (taken by another app, or not allowed in this session). */
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
  isRegistered(accelerator: string): boolean;
}

export const shortcutActions: readonly ShortcutAction[] = [
  'toggleMute',
  'hangUp',
  'acceptCall',
  'declineCall',
];

export const shortcutProblems = {
  taken: 'Taken by another application or not allowed by the system',
  wayland:
    'Global shortcuts are not available in this desktop session (Wayland without the shortcuts portal)',
  invalid: 'Not a shortcut the system understands',
} as const;

/**
 * Keeps the OS registrations equal to the configured shortcuts and reports, per action, whether
 * the OS took each one, so a refused shortcut shows in settings instead of being silently dead.
 * Shortcuts stay registered all the time; whether a press does anything depends on the call
 * state, which `onPress` decides.
 */
export class ShortcutController {
  private registered = new Map<ShortcutAction, string>();
  private statuses: ShortcutStatus[] = shortcutActions.map((action) => ({
    action,
    accelerator: null,
    registered: false,
    problem: null,
  }));

  constructor(
    private readonly port: GlobalShortcutPort,
    private readonly onPress: (action: ShortcutAction) => void,
    private readonly environment: { sessionType: string | undefined },
  ) {}

  /** Replaces every registration with `shortcuts` (already validated) and returns the status. */
  apply(shortcuts: DesktopSettings['shortcuts']): ShortcutStatus[] {
    this.unregisterAll();
    this.statuses = shortcutActions.map((action) => {
      const accelerator = shortcuts[action];
      if (accelerator === null) return { action, accelerator, registered: false, problem: null };
      const problem = this.register(action, accelerator);
      return { action, accelerator, registered: problem === null, problem };
    });
    return this.status();
  }

  status(): ShortcutStatus[] {
    return this.statuses.map((status) => ({ ...status }));
  }

  unregisterAll(): void {
    for (const accelerator of this.registered.values()) this.port.unregister(accelerator);
    this.registered.clear();
  }

  private register(action: ShortcutAction, accelerator: string): string | null {
    let accepted: boolean;
    try {
      accepted = this.port.register(accelerator, () => this.onPress(action));
    } catch {
      return shortcutProblems.invalid;
    }
    if (!accepted) {
      return this.environment.sessionType === 'wayland'
        ? shortcutProblems.wayland
        : shortcutProblems.taken;
    }
    this.registered.set(action, accelerator);
    return null;
  }
}
