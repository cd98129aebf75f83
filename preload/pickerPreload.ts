import { contextBridge, ipcRenderer } from 'electron';
import { createPickerBridge } from './pickerBridge';

// The screen picker window gets two named methods and nothing else.
contextBridge.exposeInMainWorld(
  'parleyPicker',
  createPickerBridge((channel, ...args) => ipcRenderer.invoke(channel, ...args)),
);
