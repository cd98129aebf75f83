import type { DesktopSettings, ShortcutAction } from '../../protocol';

export type ShortcutMap = DesktopSettings['shortcuts'];

/** The same defaults as main's global shortcuts, so one habit works in and out of the window. */
export const defaultShortcuts: ShortcutMap = {
  toggleMute: 'CommandOrControl+Alt+Shift+M',
  hangUp: 'CommandOrControl+Alt+Shift+H',
  acceptCall: 'CommandOrControl+Alt+Shift+A',
  declineCall: 'CommandOrControl+Alt+Shift+D',
};

/** The fields of a KeyboardEvent a shortcut is matched on. */
export interface KeyPress {
  code: string;
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

const modifierNames = new Set([
  'commandorcontrol',
  'cmdorctrl',
  'control',
  'ctrl',
  'command',
  'cmd',
  'super',
  'meta',
  'alt',
  'option',
  'shift',
]);

/**
 * Whether a key press is this Electron accelerator. CommandOrControl is Cmd on macOS and Ctrl
 * elsewhere; the key is compared by its physical code (KeyM, Digit1), since Alt and Shift change
 * `key` on most layouts.
 */
export function matchesAccelerator(accelerator: string, press: KeyPress, isMac: boolean): boolean {
  const parts = accelerator.split('+').map((part) => part.toLowerCase());
  const keyName = parts.at(-1);
  if (!keyName || modifierNames.has(keyName)) return false;
  const wants = { ctrl: false, meta: false, alt: false, shift: false };
  for (const part of parts.slice(0, -1)) {
    if (part === 'commandorcontrol' || part === 'cmdorctrl') wants[isMac ? 'meta' : 'ctrl'] = true;
    else if (part === 'control' || part === 'ctrl') wants.ctrl = true;
    else if (part === 'command' || part === 'cmd' || part === 'super' || part === 'meta')
      wants.meta = true;
    else if (part === 'alt' || part === 'option') wants.alt = true;
    else if (part === 'shift') wants.shift = true;
    else return false;
  }
  if (
    wants.ctrl !== press.ctrlKey ||
    wants.meta !== press.metaKey ||
    wants.alt !== press.altKey ||
    wants.shift !== press.shiftKey
  ) {
    return false;
  }
  return keyCodeName(press) === keyName;
}

/** The action a key press triggers, if any. */
export function shortcutActionFor(
  shortcuts: ShortcutMap,
  press: KeyPress,
  isMac: boolean,
): ShortcutAction | null {
  for (const action of Object.keys(shortcuts) as ShortcutAction[]) {
    const accelerator = shortcuts[action];
    if (accelerator && matchesAccelerator(accelerator, press, isMac)) return action;
  }
  return null;
}

/** The accelerator for a key press, for recording a new shortcut in settings; null if bare. */
export function acceleratorFor(press: KeyPress): string | null {
  const key = keyCodeName(press);
  if (!key || modifierNames.has(key) || key.length === 0) return null;
  const parts: string[] = [];
  if (press.ctrlKey || press.metaKey) parts.push('CommandOrControl');
  if (press.altKey) parts.push('Alt');
  if (press.shiftKey) parts.push('Shift');
  if (parts.length === 0) return null; // a bare letter would fire while typing
  parts.push(key.length === 1 ? key.toUpperCase() : key[0]!.toUpperCase() + key.slice(1));
  return parts.join('+');
}

function keyCodeName(press: KeyPress): string {
  const code = press.code;
  if (/^Key[A-Z]$/.test(code)) return code.slice(3).toLowerCase();
  if (/^Digit[0-9]$/.test(code)) return code.slice(5);
  if (/^F[0-9]{1,2}$/.test(code)) return code.toLowerCase();
  return press.key.toLowerCase();
}
