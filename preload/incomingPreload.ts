import { contextBridge, ipcRenderer } from 'electron';
import { createIncomingBridge } from './incomingBridge';

// The incoming-call window gets three named methods and nothing else.
contextBridge.exposeInMainWorld(
  'parleyIncoming',
  createIncomingBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
