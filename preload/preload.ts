import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { createParleyBridge } from './bridge';

// The only thing the page gets: named methods, no ipcRenderer, no generic invoke or on.
contextBridge.exposeInMainWorld(
  'parley',
  createParleyBridge(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => ipcRenderer.removeListener(channel, forward);
    },
  ),
);
