import type { DesktopSettings } from '../../protocol/ipc';

/**
 * Defaults use three modifiers, Ctrl/Cmd + Shift + Alt, because every lighter combination clashes
 * somewhere a caller is likely to be:
 * - Ctrl+Alt+letter is AltGr+letter on Windows with many European layouts (typing Polish ą, ł, ś),
 *   and Ctrl+Option is the VoiceOver key on macOS; Cmd+Option+M minimises all Finder windows.
 * - Ctrl+Shift+letter is taken in browsers and editors (Ctrl+Shift+M switches Chrome profiles).
 * - Screen readers use Insert/CapsLock (NVDA, JAWS, Orca) or Ctrl+Option (VoiceOver), not this.
 * Letters are picked around the known three-modifier system shortcuts: GNOME's screencast
 * (Ctrl+Shift+Alt+R), KDE's log-out keys (Delete, PageDown) and macOS's paste-and-match-style
 * (Cmd+Shift+Option+V). M = mute, H = hang up, A = accept (audio only: a blind keypress must
 * never turn the camera on), D = decline.
 */
export const defaultShortcuts: DesktopSettings['shortcuts'] = {
  toggleMute: 'CommandOrControl+Alt+Shift+M',
  hangUp: 'CommandOrControl+Alt+Shift+H',
  acceptCall: 'CommandOrControl+Alt+Shift+A',
  declineCall: 'CommandOrControl+Alt+Shift+D',
};

export const defaultSettings: DesktopSettings = {
  closeToTray: true,
  doNotDisturb: false,
  shortcuts: defaultShortcuts,
};
