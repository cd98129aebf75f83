import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { IpcMainPort } from './IpcHandlers';
import type { IpcSender } from './senderPolicy';

/** Adapts `ipcMain.handle` to the port: each event becomes a plain `IpcSender` description. */
export const electronIpcPort: IpcMainPort = {
  handle(channel, listener) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => listener(describeSender(event), args));
  },
};

function describeSender(event: IpcMainInvokeEvent): IpcSender {
  const frame = event.senderFrame;
  return {
    webContentsId: event.sender.id,
    frame: frame ? { url: frame.url, isMainFrame: frame.parent === null } : null,
  };
}
