// The main process's IPC handlers, each behind guardIpc (sender origin + zod payload).
import { ipcMain } from 'electron';
import { z } from 'zod';
import {
  IPC_CHANNELS,
  type SetupState,
  type ShellResult,
  type StaffAction,
} from '../../preload/api';
import { guardIpc, type IpcRejected, type OriginCheck } from './ipc-guard';
import { NoPayload, SaveSetupPayload, UnlockStaffPayload, type SaveSetupData } from './ipc-schemas';

export interface ShellHandlers {
  getSetupState(): Promise<SetupState>;
  saveSetup(request: SaveSetupData): Promise<ShellResult>;
  unlockStaff(pin: string, action: StaffAction): Promise<ShellResult>;
  requestStaffPrompt(): void;
}

export function registerIpc(options: {
  shellOrigins: OriginCheck;
  /** The hub's origin, known only once the hub runs, hence a check rather than a set. */
  screenOrigins: OriginCheck;
  handlers: ShellHandlers;
  log(line: string): void;
}): void {
  const onRejected = (error: IpcRejected) => options.log(error.message);
  const shell = { allowedOrigins: options.shellOrigins, onRejected };
  ipcMain.handle(
    IPC_CHANNELS.getSetupState,
    guardIpc({ ...shell, channel: IPC_CHANNELS.getSetupState, schema: NoPayload }, () =>
      options.handlers.getSetupState(),
    ),
  );
  ipcMain.handle(
    IPC_CHANNELS.saveSetup,
    guardIpc(
      { ...shell, channel: IPC_CHANNELS.saveSetup, schema: z.tuple([SaveSetupPayload]) },
      ([request]) => options.handlers.saveSetup(request),
    ),
  );
  ipcMain.handle(
    IPC_CHANNELS.unlockStaff,
    guardIpc(
      { ...shell, channel: IPC_CHANNELS.unlockStaff, schema: UnlockStaffPayload },
      ([pin, action]) => options.handlers.unlockStaff(pin, action),
    ),
  );
  // The gesture comes from the screens themselves (hub origin), so this one channel accepts them.
  const fromScreens = guardIpc(
    {
      channel: IPC_CHANNELS.requestStaffPrompt,
      allowedOrigins: {
        has: (origin) => options.shellOrigins.has(origin) || options.screenOrigins.has(origin),
      },
      schema: NoPayload,
      onRejected,
    },
    () => options.handlers.requestStaffPrompt(),
  );
  ipcMain.on(IPC_CHANNELS.requestStaffPrompt, (event, ...args) => {
    try {
      fromScreens(event, ...args);
    } catch {
      // already logged by onRejected
    }
  });
}
