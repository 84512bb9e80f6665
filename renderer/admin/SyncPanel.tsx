// The hub's link to the central server (docs/sync.md, "The hub's side"): linked or not, where,
// the state in colour and words, the last success, the backlog and the last error. AdminScreen
// feeds it from GET /sync/status (on each connection) and `sync.status` messages.
import { useTranslation } from 'react-i18next';
import type { SyncStatusDto } from '../../core/api/schemas';
import { syncTone } from '../shared/sync-state';

export function SyncPanel({ status, error }: { status: SyncStatusDto | null; error: string }) {
  const { t, i18n } = useTranslation();
  const when = (iso: string | null) =>
    iso === null
      ? t('admin.sync.never')
      : new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  return (
    <section className="sync-panel" aria-labelledby="sync-title">
      <h2 id="sync-title">{t('admin.sync.title')}</h2>
      {!status ? (
        <p className={error ? 'error' : 'hint'} role="status">
          {error || t('common.loading')}
        </p>
      ) : (
        <dl
          className="admin__facts card"
          data-testid="sync-status"
          data-linked={String(status.linked)}
          data-state={status.state}
        >
          <dt>{t('admin.sync.link')}</dt>
          <dd>{status.linked ? t('admin.sync.linked') : t('admin.sync.notLinked')}</dd>
          {status.linked && (
            <>
              <dt>{t('admin.sync.host')}</dt>
              <dd dir="ltr">{status.centralHost ?? t('admin.sync.none')}</dd>
              <dt>{t('admin.sync.state')}</dt>
              <dd>
                <span className={`state state--${syncTone(status)}`}>
                  <span className="sync-panel__dot" aria-hidden="true" />
                  {t(`admin.sync.states.${status.state}`)}
                </span>
              </dd>
              <dt>{t('admin.sync.lastSuccess')}</dt>
              <dd>{when(status.lastSuccessAt)}</dd>
              <dt>{t('admin.sync.backlog')}</dt>
              <dd data-testid="sync-backlog">{status.backlog.toLocaleString(i18n.language)}</dd>
              <dt>{t('admin.sync.lastError')}</dt>
              <dd dir="auto">{status.lastError ?? t('admin.sync.none')}</dd>
            </>
          )}
        </dl>
      )}
      {status && error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
