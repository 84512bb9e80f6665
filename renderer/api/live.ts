// Wires the stream client to LiveSync for one screen: a live, resyncing view of the hub plus the
// connection state to show. Screens call this once and get `stop` for cleanup.
import type { Readable } from './observable';
import { LiveSync, type LiveSyncHandlers } from './live-sync';
import { sameOriginStreamUrl, StreamClient, type ConnectionState } from './stream';

export interface LiveConnection {
  state: Readable<ConnectionState>;
  stop(): void;
}

export function connectLive<S extends { seq: number }>(
  handlers: LiveSyncHandlers<S>,
  url: string = sameOriginStreamUrl(),
): LiveConnection {
  let stream: StreamClient | null = null;
  const sync = new LiveSync<S>({
    ...handlers,
    onResyncFailed: (error) => {
      handlers.onResyncFailed?.(error);
      stream?.reconnectNow();
    },
  });
  stream = new StreamClient({ url }, sync);
  const client = stream;
  // The OS noticed the network is back: don't wait for the backoff timer.
  const onOnline = () => client.reconnectNow();
  window.addEventListener('online', onOnline);
  client.start();
  return {
    state: client.state,
    stop: () => {
      window.removeEventListener('online', onOnline);
      client.stop();
    },
  };
}
