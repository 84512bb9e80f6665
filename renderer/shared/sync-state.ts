// The central link as the screens show it (docs/sync.md, "The hub's side"): the admin's colour
// for each state, and when the other screens show their discreet "central unreachable" badge.
import type { SyncStatusDto } from '../../core/api/schemas';

export type SyncTone = 'ok' | 'warn' | 'bad' | 'idle';

/** online: green; offline (retrying): amber; error (refused, needs someone): red; never: grey. */
export function syncTone(status: Pick<SyncStatusDto, 'linked' | 'state'>): SyncTone {
  if (!status.linked) return 'idle';
  switch (status.state) {
    case 'online':
      return 'ok';
    case 'offline':
      return 'warn';
    case 'error':
      return 'bad';
    case 'never':
      return 'idle';
  }
}

/** The lobby screens' badge: only for a linked hub that cannot reach (or is refused by) central. */
export function showsCentralBadge(
  status: Pick<SyncStatusDto, 'linked' | 'state'> | null | undefined,
): boolean {
  return !!status && status.linked && (status.state === 'offline' || status.state === 'error');
}

/**
 * The admin's picture from two sources: GET /sync/status (no time of its own: stamped with when
 * it was asked) and `sync.status` messages (stamped by the hub). An answer to a request sent
 * before the last message arrived is older than it, so it does not overwrite it.
 */
export interface TimedSyncStatus {
  status: SyncStatusDto;
  /** ms since the epoch, on this screen's clock: when the request went out or the message came. */
  receivedAt: number;
}

export function mergeSyncStatus(
  current: TimedSyncStatus | null,
  next: TimedSyncStatus,
): TimedSyncStatus {
  if (current && current.receivedAt > next.receivedAt) return current;
  return next;
}
