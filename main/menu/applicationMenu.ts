import type { MenuItemConstructorOptions } from 'electron';

export interface ApplicationMenuOptions {
  appName: string;
  platform: NodeJS.Platform;
  /** The installed app's lockdown: no DevTools and no reload (see security/debugLockdown). */
  lockedDown: boolean;
}

/**
 * Parley's own application menu. Without one, Electron installs its default menu, whose View menu
 * has Toggle Developer Tools (and its shortcut) even in the installed app. Locked down, the menu
 * keeps only what users need: editing (copy and paste in text fields), zoom, window and quit.
 */
export function applicationMenuTemplate(
  options: ApplicationMenuOptions,
): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const macAppMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const fileMenu: MenuItemConstructorOptions = { label: 'File', submenu: [{ role: 'quit' }] };
  const editMenu: MenuItemConstructorOptions = {
    label: 'Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  };
  const developmentItems: MenuItemConstructorOptions[] = options.lockedDown
    ? []
    : [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
      ];
  const viewMenu: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [
      ...developmentItems,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const windowMenu: MenuItemConstructorOptions = {
    label: 'Window',
    submenu: isMac
      ? [
          { role: 'minimize' },
          { role: 'zoom' },
          { role: 'close' },
          { type: 'separator' },
          { role: 'front' },
        ]
      : [{ role: 'minimize' }, { role: 'close' }],
  };
  return [isMac ? macAppMenu : fileMenu, editMenu, viewMenu, windowMenu];
}
