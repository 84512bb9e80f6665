// What the kiosk knows about its printer and recent print jobs, from GET /me/printer and the
// stream's live messages. Screen-wide (not per visitor): it holds no visitor data.
import { createContext, useContext } from 'react';
import type { JobSnapshot, PrinterSnapshot } from './print-state';

export interface KioskHardware {
  /** This kiosk's printer (GET /me/printer), null: none. */
  myPrinterId: string | null;
  printers: ReadonlyMap<string, PrinterSnapshot>;
  jobs: ReadonlyMap<string, JobSnapshot>;
  /** Re-read GET /me/printer (e.g. an answer named a printer we have not heard of). */
  refreshPrinter(): void;
}

export const KioskHardwareContext = createContext<KioskHardware>({
  myPrinterId: null,
  printers: new Map(),
  jobs: new Map(),
  refreshPrinter: () => undefined,
});

export const useKioskHardware = (): KioskHardware => useContext(KioskHardwareContext);
