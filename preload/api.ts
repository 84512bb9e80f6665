// The contract between the shell's pages and the main process: the only functions a page gets
// (window.guichetShell), and the IPC channel each one uses. Types only plus channel names, so the
// preload bundle stays tiny and main/ can check its handlers against the same names.

/** What a window in this machine shows. `hub` has no screen of its own. */
export type MachineRole = 'hub' | 'kiosk' | 'display' | 'counter';
export type ScreenRole = Exclude<MachineRole, 'hub'> | 'admin';

/** One physical screen, as the setup page lists it. */
export interface DisplayChoice {
  id: number;
  label: string;
  width: number;
  height: number;
  primary: boolean;
}

/** What the setup page needs to draw itself; never holds a secret. */
export interface SetupState {
  configured: boolean;
  pinSet: boolean;
  roles: MachineRole[];
  hubUrl: string;
  counterId: string | null;
  screenAssignments: Partial<Record<ScreenRole, number>>;
  pairedRoles: ScreenRole[];
  displays: DisplayChoice[];
  secretsEncrypted: boolean;
}

export interface SaveSetupRequest {
  /** The current admin PIN; on first start, the PIN being chosen. */
  pin: string;
  /** A new PIN, when changing it. */
  newPin?: string;
  roles: MachineRole[];
  hubUrl: string;
  counterId?: string;
  screenAssignments: Partial<Record<ScreenRole, number>>;
  /** Pairing code (8 characters) or device token per screen role, when (re)pairing. */
  pairing?: Partial<Record<ScreenRole, string>>;
}

export type ShellResult = { ok: true } | { ok: false; reason: string };

export type StaffAction = 'exit' | 'setup' | 'cancel';

export interface GuichetShellApi {
  getSetupState(): Promise<SetupState>;
  saveSetup(request: SaveSetupRequest): Promise<ShellResult>;
  unlockStaff(pin: string, action: StaffAction): Promise<ShellResult>;
  /** The hidden gesture (five taps in the top-left corner) asks for the staff PIN prompt. */
  requestStaffPrompt(): void;
}

export const IPC_CHANNELS = {
  getSetupState: 'guichet:setup:get-state',
  saveSetup: 'guichet:setup:save',
  unlockStaff: 'guichet:staff:unlock',
  requestStaffPrompt: 'guichet:staff:request-prompt',
} as const satisfies Record<keyof GuichetShellApi, `guichet:${string}`>;

declare global {
  interface Window {
    /** Present only inside the Guichet desktop shell. */
    guichetShell?: GuichetShellApi;
  }
}
