import { contextBridge, ipcRenderer } from 'electron';
import { createParleyBridge } from './bridge';

// The only thing the page gets: named methods, no ipcRenderer, no generic invoke.
contextBridge.exposeInMainWorld(
  'parley',
  createParleyBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
