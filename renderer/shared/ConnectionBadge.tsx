import { useTranslation } from 'react-i18next';
import type { SyncStatusDto } from '../../core/api/schemas';
import type { ConnectionState } from '../api';
import { syncBadgeKey } from './sync-state';

/**
 * Discreet while all is well (nothing shown); a clear badge while the hub is out of reach. With
 * `central` (the hub's last `sync.status`), a quieter one while the hub cannot reach the central
 * server: the branch keeps working, so it informs rather than alarms. On a kiosk served by a kiosk
 * agent, the same quiet badge while the agent cannot reach the hub (`link: 'hub'`): the kiosk
 * keeps issuing tickets, and says so.
 */
export function ConnectionBadge({
  state,
  central,
}: {
  state: ConnectionState;
  central?: Pick<SyncStatusDto, 'linked' | 'state' | 'link'> | null;
}) {
  const { t } = useTranslation();
  const visible = state === 'reconnecting' || state === 'offline';
  // While the hub itself is out of reach, its word on central is stale: the hub badge says enough.
  const linkDown = state === 'connected' ? syncBadgeKey(central) : null;
  return (
    <div className="connection-region" role="status" aria-live="polite">
      {visible ? (
        <span className={`connection-badge connection-badge--${state}`} data-connection={state}>
          <span className="connection-badge__dot" aria-hidden="true" />
          {t(`connection.${state}`)}
        </span>
      ) : linkDown ? (
        <span
          className="connection-badge connection-badge--central"
          data-connection={state}
          data-central={central?.state}
          data-link={central?.link ?? 'central'}
        >
          {t(linkDown)}
        </span>
      ) : (
        <span className="visually-hidden" data-connection={state}>
          {state === 'connected' ? t('connection.connected') : ''}
        </span>
      )}
    </div>
  );
}
