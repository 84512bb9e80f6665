import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../api';

/** Discreet while all is well (nothing shown); a clear badge while the hub is out of reach. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { t } = useTranslation();
  const visible = state === 'reconnecting' || state === 'offline';
  return (
    <div className="connection-region" role="status" aria-live="polite">
      {visible ? (
        <span className={`connection-badge connection-badge--${state}`} data-connection={state}>
          <span className="connection-badge__dot" aria-hidden="true" />
          {t(`connection.${state}`)}
        </span>
      ) : (
        <span className="visually-hidden" data-connection={state}>
          {state === 'connected' ? t('connection.connected') : ''}
        </span>
      )}
    </div>
  );
}
