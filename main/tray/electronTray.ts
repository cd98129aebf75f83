import { Menu, nativeImage, Tray, type MenuItemConstructorOptions } from 'electron';
import { join } from 'node:path';
import type { TrayPort } from './TrayController';

/** The Electron Tray behind TrayPort; icons are `<iconDir>/<name>.png` (with @2x beside them). */
export function createElectronTray(iconDir: string): TrayPort & { destroy(): void } {
  const image = (name: string) => nativeImage.createFromPath(join(iconDir, `${name}.png`));
  const tray = new Tray(image('idle'));
  return {
    setIcon: (name) => tray.setImage(image(name)),
    setToolTip: (text) => tray.setToolTip(text),
    setTitle: (text) => tray.setTitle(text),
    setMenu(entries, onClick) {
      const template: MenuItemConstructorOptions[] = entries.map((entry) =>
        entry.kind === 'separator'
          ? { type: 'separator' }
          : { label: entry.label, enabled: entry.enabled, click: () => onClick(entry.id) },
      );
      tray.setContextMenu(Menu.buildFromTemplate(template));
    },
    destroy: () => tray.destroy(),
  };
}
