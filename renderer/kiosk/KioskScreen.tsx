// The kiosk: the hub connection lives here for the page's lifetime; each visitor gets a fresh
// KioskSession (a new React key), so an inactivity reset leaves nothing of the last one behind.
// The printer's state and recent print jobs live here too (they are the kiosk's, not a visitor's).
import { useCallback, useMemo, useRef, useState } from 'react';
import type { LiveStreamMessage, ScannerResultEvent } from '../../core/api/schemas';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { hub } from '../shared/hub';
import { useLobby } from '../shared/useLobby';
import { KioskHardwareContext, type KioskHardware } from './hardware-context';
import { KioskSession } from './KioskSession';
import { recordJob, recordPrinter, type JobSnapshot, type PrinterSnapshot } from './print-state';
import { useInactivity } from './useInactivity';

export interface SerialScan {
  /** Increases with each scan, so the same code scanned twice is shown twice. */
  id: number;
  event: ScannerResultEvent;
}

export function KioskScreen() {
  const [myPrinterId, setMyPrinterId] = useState<string | null>(null);
  const [printers, setPrinters] = useState<ReadonlyMap<string, PrinterSnapshot>>(new Map());
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobSnapshot>>(new Map());
  const [scan, setScan] = useState<SerialScan | null>(null);
  const scans = useRef(0);

  const refreshPrinter = useCallback(() => {
    hub.myPrinter().then(
      (printer) => {
        setMyPrinterId(printer?.printerId ?? null);
        if (printer) setPrinters((all) => recordPrinter(all, printer));
      },
      () => undefined, // Next reconnection tries again; printing never depends on it.
    );
  }, []);

  const onLiveMessage = (message: LiveStreamMessage) => {
    if (message.type === 'print.job') setJobs((all) => recordJob(all, message));
    else if (message.type === 'printer.status') {
      setPrinters((all) => recordPrinter(all, message));
    } else {
      scans.current += 1;
      setScan({ id: scans.current, event: message });
      arm();
    }
  };

  const { lobby, connection, ready, syncStatus } = useLobby({
    refreshServicesOnTicketEvents: true,
    onLiveMessage,
    // Live messages are not replayed: re-read the printer after every (re)connection.
    onConnected: refreshPrinter,
  });
  const [session, setSession] = useState(0);
  const reset = useCallback(() => {
    setScan(null);
    setSession((s) => s + 1);
  }, []);
  const arm = useInactivity(lobby.branch?.inactivityTimeoutSec ?? 30, reset);

  const hardware = useMemo<KioskHardware>(
    () => ({ myPrinterId, printers, jobs, refreshPrinter }),
    [myPrinterId, printers, jobs, refreshPrinter],
  );

  return (
    <KioskHardwareContext.Provider value={hardware}>
      {ready && lobby.branch ? (
        <KioskSession
          key={session}
          lobby={{ ...lobby, branch: lobby.branch }}
          scan={scan}
          onFinished={reset}
        />
      ) : (
        <main className="kiosk kiosk--loading" aria-busy="true" />
      )}
      <ConnectionBadge state={connection} central={syncStatus} />
    </KioskHardwareContext.Provider>
  );
}
