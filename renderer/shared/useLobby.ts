// One hook that gives a screen the live branch picture and the connection state: snapshot on
// every (re)connection, then stream events in seq order (see api/live-sync.ts).
import { useEffect, useRef, useState } from 'react';
import type { LiveStreamMessage, SyncStatusEvent } from '../../core/api/schemas';
import { connectLive, type ConnectionState, type HubEvent } from '../api';
import { hub } from './hub';
import {
  applyEvent,
  emptyLobby,
  fromSnapshot,
  withBusinessDay,
  withConfig,
  type LobbySnapshot,
  type LobbyState,
} from './lobby-state';

export interface UseLobbyOptions {
  /** Called once per live event (never for snapshot contents): announcements, refreshes. */
  onLiveEvent?: (event: HubEvent) => void;
  /**
   * Refetch services after ticket events (debounced), for the hub's wait estimates: the kiosk
   * shows them, and only the hub can compute them.
   */
  refreshServicesOnTicketEvents?: boolean;
  /** Live hardware messages (printer status, print jobs, scanner results) for this device. */
  onLiveMessage?: (message: LiveStreamMessage) => void;
  /** Called on each (re)connection: the place to re-read state the live messages update. */
  onConnected?: () => void;
  /** The hub's central link changed (`sync.status`; only sent on a change). */
  onSyncStatus?: (status: SyncStatusEvent) => void;
}

export interface Lobby {
  lobby: LobbyState;
  connection: ConnectionState;
  /** False until the first snapshot arrived. */
  ready: boolean;
  /** Apply a ticket the hub just returned to our own action, before its event arrives. */
  setLobby: (update: (state: LobbyState) => LobbyState) => void;
  /**
   * The last `sync.status` the hub sent, null until one comes: the hub sends it only when the
   * link changes, so a screen opened while central is down learns it at the next change.
   */
  syncStatus: SyncStatusEvent | null;
}

async function fetchSnapshot(): Promise<LobbySnapshot> {
  const [queue, branch, services, counters] = await Promise.all([
    hub.queue(),
    hub.branch(),
    hub.services(),
    hub.counters(),
  ]);
  return { seq: queue.seq, branch, queue, services, counters };
}

async function fetchConfig() {
  const [branch, services, counters] = await Promise.all([
    hub.branch(),
    hub.services(),
    hub.counters(),
  ]);
  return { branch, services, counters };
}

export function useLobby(options: UseLobbyOptions = {}): Lobby {
  const [lobby, setLobby] = useState<LobbyState>(emptyLobby);
  const [ready, setReady] = useState(false);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const [syncStatus, setSyncStatus] = useState<SyncStatusEvent | null>(null);
  // Latest callbacks without reconnecting the stream whenever the parent re-renders.
  const callbacks = useRef(options);
  useEffect(() => {
    callbacks.current = options;
  });

  useEffect(() => {
    let servicesTimer: ReturnType<typeof setTimeout> | undefined;
    const refreshConfig = () =>
      fetchConfig().then(
        (config) => setLobby((prev) => withConfig(prev, config)),
        () => undefined, // The next snapshot (on reconnect) will bring it.
      );
    const refreshServicesSoon = () => {
      clearTimeout(servicesTimer);
      servicesTimer = setTimeout(() => {
        hub.services().then(
          (services) =>
            setLobby((prev) => ({
              ...prev,
              services: [...services].sort((a, b) => a.position - b.position),
            })),
          () => undefined,
        );
      }, 250);
    };
    const live = connectLive<LobbySnapshot>({
      fetchSnapshot,
      // The stream was refused or dropped for auth: a 401 here sends the screen to pairing
      // (through the client's onUnauthorized); any other answer changes nothing.
      onRejected: () => void hub.me().catch(() => undefined),
      onGreeting: (day) => {
        setLobby((prev) => withBusinessDay(prev, day));
        callbacks.current.onConnected?.();
      },
      onLive: (message) => callbacks.current.onLiveMessage?.(message),
      onSyncStatus: (status) => {
        setSyncStatus(status);
        callbacks.current.onSyncStatus?.(status);
      },
      onSnapshot: (snapshot) => {
        setLobby((prev) => fromSnapshot(prev, snapshot));
        setReady(true);
      },
      onEvent: (event) => {
        setLobby((prev) => applyEvent(prev, event));
        if (event.type === 'config.changed') void refreshConfig();
        else if ('ticket' in event && callbacks.current.refreshServicesOnTicketEvents) {
          refreshServicesSoon();
        }
        callbacks.current.onLiveEvent?.(event);
      },
    });
    setConnection(live.state.get());
    const unsubscribe = live.state.subscribe(() => setConnection(live.state.get()));
    return () => {
      clearTimeout(servicesTimer);
      unsubscribe();
      live.stop();
    };
  }, []);

  return { lobby, connection, ready, setLobby, syncStatus };
}
