import type { MenuItemConstructorOptions } from 'electron';
import { applicationMenuTemplate } from '../../../main/menu/applicationMenu';

/** Every item of a template, submenus included, at any depth. */
function allItems(items: readonly MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [
    item,
    ...(Array.isArray(item.submenu) ? allItems(item.submenu) : []),
  ]);
}

function roles(items: readonly MenuItemConstructorOptions[]): string[] {
  return allItems(items).flatMap((item) => (item.role ? [item.role.toLowerCase()] : []));
}

function topLabels(items: readonly MenuItemConstructorOptions[]): string[] {
  return items.map((item) => item.label ?? '');
}

function submenuRoles(items: readonly MenuItemConstructorOptions[], label: string): string[] {
  const menu = items.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return roles(menu.submenu);
}

const platforms: NodeJS.Platform[] = ['linux', 'win32', 'darwin'];

describe('the application menu', () => {
  it.each(platforms)('installed on %s: nothing opens DevTools or reloads the page', (platform) => {
    const template = applicationMenuTemplate({ appName: 'Parley', platform, lockedDown: true });
    const everything = allItems(template);
    expect(everything.length).toBeGreaterThan(10);
    for (const item of everything) {
      expect((item.role ?? '').toLowerCase()).not.toMatch(/devtools|reload/);
      expect(item.label ?? '').not.toMatch(/developer|devtools|inspect|reload/i);
      expect(item.accelerator ?? '').toBe('');
      expect(item.click).toBeUndefined();
    }
  });

  it.each(platforms)('installed on %s: editing, window and quit are there', (platform) => {
    const template = applicationMenuTemplate({ appName: 'Parley', platform, lockedDown: true });
    expect(submenuRoles(template, 'Edit')).toEqual(
      expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectall']),
    );
    expect(submenuRoles(template, 'Window')).toEqual(expect.arrayContaining(['minimize', 'close']));
    expect(roles(template)).toContain('quit');
  });

  it('on macOS starts with the app menu (about, hide, quit); elsewhere with File', () => {
    const mac = applicationMenuTemplate({
      appName: 'Parley',
      platform: 'darwin',
      lockedDown: true,
    });
    expect(topLabels(mac)).toEqual(['Parley', 'Edit', 'View', 'Window']);
    expect(submenuRoles(mac, 'Parley')).toEqual(
      expect.arrayContaining(['about', 'hide', 'hideothers', 'unhide', 'quit']),
    );
    const linux = applicationMenuTemplate({
      appName: 'Parley',
      platform: 'linux',
      lockedDown: true,
    });
    expect(topLabels(linux)).toEqual(['File', 'Edit', 'View', 'Window']);
    expect(submenuRoles(linux, 'File')).toEqual(['quit']);
  });

  it.each(platforms)('in development on %s keeps DevTools and reload', (platform) => {
    const template = applicationMenuTemplate({ appName: 'Parley', platform, lockedDown: false });
    expect(submenuRoles(template, 'View')).toEqual(
      expect.arrayContaining(['toggledevtools', 'reload', 'forcereload']),
    );
  });
});
