import { useTranslation } from 'react-i18next';
import type { SyncStatusDto } from '../../core/api/schemas';
import type { ConnectionState } from '../api';
import { showsCentralBadge } from './sync-state';

/**
 * Discreet while all is well (nothing shown); a clear badge while the hub is out of reach. With
 * `central` (the hub's last `sync.status`), a quieter one while the hub cannot reach the central
 * server: the branch keeps working, so it informs rather than alarms.
 */
export function ConnectionBadge({
  state,
  central,
}: {
  state: ConnectionState;
  central?: Pick<SyncStatusDto, 'linked' | 'state'> | null;
}) {
  const { t } = useTranslation();
  const visible = state === 'reconnecting' || state === 'offline';
  // While the hub itself is out of reach, its word on central is stale: the hub badge says enough.
  const centralDown = state === 'connected' && showsCentralBadge(central);
  return (
    <div className="connection-region" role="status" aria-live="polite">
      {visible ? (
        <span className={`connection-badge connection-badge--${state}`} data-connection={state}>
          <span className="connection-badge__dot" aria-hidden="true" />
          {t(`connection.${state}`)}
        </span>
      ) : centralDown ? (
        <span
          className="connection-badge connection-badge--central"
          data-connection={state}
          data-central={central?.state}
        >
          {t('connection.centralUnreachable')}
        </span>
      ) : (
        <span className="visually-hidden" data-connection={state}>
          {state === 'connected' ? t('connection.connected') : ''}
        </span>
      )}
    </div>
  );
}
