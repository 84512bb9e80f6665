// The central link as the screens show it (docs/sync.md, "The hub's side"): the admin's colour
// for each state, and when the other screens show their discreet "central unreachable" badge (or
// on a kiosk served by an agent, its "link to the branch server interrupted" one).
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

export type SyncBadgeKey = 'connection.centralUnreachable' | 'connection.hubUnreachable';

/**
 * The text of that badge, null when there is none: the hub's link to central (`link` absent, as
 * every hub sends it), or a kiosk agent's link to its hub (`link: 'hub'`: this kiosk still issues
 * tickets, so its visitors are told that, not that the branch lost a server they never heard of).
 */
export function syncBadgeKey(
  status: Pick<SyncStatusDto, 'linked' | 'state' | 'link'> | null | undefined,
): SyncBadgeKey | null {
  if (!status || !showsCentralBadge(status)) return null;
  return status.link === 'hub' ? 'connection.hubUnreachable' : 'connection.centralUnreachable';
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
