import { useSyncExternalStore } from 'react';
import type { Readable } from '../api';

export function useReadable<T>(store: Readable<T>): T {
  return useSyncExternalStore(store.subscribe, store.get, store.get);
}
