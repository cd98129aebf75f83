import { globalShortcut } from 'electron';
import type { GlobalShortcutPort } from './ShortcutController';

/** Electron's globalShortcut, which returns false (or throws on a malformed accelerator). */
export const electronGlobalShortcut: GlobalShortcutPort = {
  register: (accelerator, callback) => globalShortcut.register(accelerator, callback),
  unregister: (accelerator) => globalShortcut.unregister(accelerator),
  isRegistered: (accelerator) => globalShortcut.isRegistered(accelerator),
};
