// The kiosk: the hub connection lives here for the page's lifetime; each visitor gets a fresh
// KioskSession (a new React key), so an inactivity reset leaves nothing of the last one behind.
import { useCallback, useState } from 'react';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { useLobby } from '../shared/useLobby';
import { KioskSession } from './KioskSession';
import { useInactivity } from './useInactivity';

export function KioskScreen() {
  const { lobby, connection, ready } = useLobby({ refreshServicesOnTicketEvents: true });
  const [session, setSession] = useState(0);
  const reset = useCallback(() => setSession((s) => s + 1), []);
  useInactivity(lobby.branch?.inactivityTimeoutSec ?? 30, reset);

  return (
    <>
      {ready && lobby.branch ? (
        <KioskSession key={session} lobby={{ ...lobby, branch: lobby.branch }} onFinished={reset} />
      ) : (
        <main className="kiosk kiosk--loading" aria-busy="true" />
      )}
      <ConnectionBadge state={connection} />
    </>
  );
}
