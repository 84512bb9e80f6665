// The preload of every Guichet window (sandboxed: it may require only 'electron'). It gives the
// page a few named functions, never ipcRenderer itself, and watches for the hidden staff gesture.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type GuichetShellApi } from './api';
import { createCornerTapCounter } from './corner-taps';

const shellApi = {
  getSetupState: () => ipcRenderer.invoke(IPC_CHANNELS.getSetupState),
  saveSetup: (request) => ipcRenderer.invoke(IPC_CHANNELS.saveSetup, request),
  unlockStaff: (pin, action) => ipcRenderer.invoke(IPC_CHANNELS.unlockStaff, pin, action),
  requestStaffPrompt: () => ipcRenderer.send(IPC_CHANNELS.requestStaffPrompt),
} satisfies GuichetShellApi;

contextBridge.exposeInMainWorld('guichetShell', shellApi);

const corner = createCornerTapCounter();
window.addEventListener(
  'pointerdown',
  (event) => {
    if (corner.tap(event.clientX, event.clientY)) shellApi.requestStaffPrompt();
  },
  { capture: true, passive: true },
);
