import { dialog, type BrowserWindow } from 'electron';
import type { MessageBoxPort } from './accountRemovalDialog';

/** Native message boxes, modal to the main window while there is one. */
export function electronMessageBox(parent: () => BrowserWindow | null): MessageBoxPort {
  return {
    async show(request) {
      const window = parent();
      const { response } =
        window && !window.isDestroyed()
          ? await dialog.showMessageBox(window, { ...request, noLink: true })
          : await dialog.showMessageBox({ ...request, noLink: true });
      return response;
    },
  };
}
