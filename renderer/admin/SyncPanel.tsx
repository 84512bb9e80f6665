// The hub's links (docs/sync.md): first its link to the central server (linked or not, where, the
// state in colour and words, the last success, the backlog and the last error; AdminScreen feeds
// it from GET /sync/status on each connection and `sync.status` messages), then the kiosk agents
// that push to this hub (GET /sync/agents, read here: on mount, when the central status moves,
// and every AGENTS_REFRESH_MS), each with the events the hub refused and why.
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgentSyncStateDto, SyncStatusDto } from '../../core/api/schemas';
import { errorText } from '../shared/error-text';
import { hub } from '../shared/hub';
import { syncTone } from '../shared/sync-state';

/** Agents change state without a live message of their own: read them again this often. */
export const AGENTS_REFRESH_MS = 15_000;

type When = (iso: string | null) => string;

function useWhen(): When {
  const { t, i18n } = useTranslation();
  return (iso) =>
    iso === null
      ? t('admin.sync.never')
      : new Date(iso).toLocaleString(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
}

export function SyncPanel({ status, error }: { status: SyncStatusDto | null; error: string }) {
  const { t, i18n } = useTranslation();
  const when = useWhen();
  const agents = useAgentStates(status);

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
      <AgentSyncList agents={agents.list} error={agents.error} />
    </section>
  );
}

/** GET /sync/agents, read again when the central status changes and every AGENTS_REFRESH_MS. */
function useAgentStates(status: SyncStatusDto | null): {
  list: AgentSyncStateDto[] | null;
  error: string;
} {
  const { t } = useTranslation();
  const [list, setList] = useState<AgentSyncStateDto[] | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(() => {
    hub.syncAgents().then(
      (next) => {
        setList(next);
        setError('');
      },
      (e: unknown) => setError(errorText(e, t)),
    );
  }, [t]);
  useEffect(() => {
    reload();
    const timer = setInterval(reload, AGENTS_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload, status]);
  return { list, error };
}

/** The kiosk agents as the admin reads them: one row per agent log, then what the hub refused. */
export function AgentSyncList({
  agents,
  error,
}: {
  agents: readonly AgentSyncStateDto[] | null;
  error: string;
}) {
  const { t, i18n } = useTranslation();
  const when = useWhen();
  const count = (n: number) => n.toLocaleString(i18n.language);
  const name = (a: AgentSyncStateDto) => a.deviceName ?? a.deviceId;

  return (
    <div className="sync-panel__agents" data-testid="sync-agents">
      <h3 id="sync-agents-title">{t('admin.sync.agents.title')}</h3>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {agents === null ? (
        !error && (
          <p className="hint" role="status">
            {t('common.loading')}
          </p>
        )
      ) : agents.length === 0 ? (
        <p className="hint">{t('admin.sync.agents.none')}</p>
      ) : (
        <>
          <table className="admin__table" aria-labelledby="sync-agents-title">
            <thead>
              <tr>
                <th scope="col">{t('admin.sync.agents.device')}</th>
                <th scope="col">{t('admin.sync.agents.log')}</th>
                <th scope="col">{t('admin.sync.agents.lastPush')}</th>
                <th scope="col">{t('admin.sync.agents.lastBlock')}</th>
                <th scope="col">{t('admin.sync.agents.acked')}</th>
                <th scope="col">{t('admin.sync.agents.backlog')}</th>
                <th scope="col">{t('admin.sync.agents.applied')}</th>
                <th scope="col">{t('admin.sync.agents.rejected')}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr
                  key={`${a.agentId}/${a.epoch}`}
                  data-agent={a.agentId}
                  data-epoch={a.epoch}
                  data-rejected={a.rejectedCount}
                >
                  <th scope="row" dir="auto">
                    {name(a)}
                  </th>
                  <td>
                    <span dir="ltr">{a.epoch}</span>{' '}
                    <span className={`state state--${a.current ? 'ok' : 'idle'}`}>
                      {a.current ? t('admin.sync.agents.current') : t('admin.sync.agents.retired')}
                    </span>
                  </td>
                  <td>{when(a.lastPushAt)}</td>
                  <td>{when(a.lastBlockAt)}</td>
                  <td>{count(a.ackSeq)}</td>
                  <td>{a.backlog === null ? t('admin.sync.agents.unknown') : count(a.backlog)}</td>
                  <td>{count(a.applied)}</td>
                  <td>
                    <span className={`state state--${a.rejectedCount > 0 ? 'bad' : 'ok'}`}>
                      {count(a.rejectedCount)}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {agents
            .filter((a) => a.rejected.length > 0)
            .map((a) => (
              <table
                key={`${a.agentId}/${a.epoch}/rejected`}
                className="admin__table"
                data-testid="sync-agent-rejected"
              >
                <caption dir="auto">
                  {t('admin.sync.agents.rejectedTitle', { device: name(a), epoch: a.epoch })}
                  {a.rejectedCount > a.rejected.length &&
                    ` ${t('admin.sync.agents.latestOnly', {
                      shown: count(a.rejected.length),
                      total: count(a.rejectedCount),
                    })}`}
                </caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.sync.agents.position')}</th>
                    <th scope="col">{t('admin.sync.agents.ticket')}</th>
                    <th scope="col">{t('admin.sync.agents.reason')}</th>
                    <th scope="col">{t('admin.sync.agents.receivedAt')}</th>
                  </tr>
                </thead>
                <tbody>
                  {a.rejected.map((r) => (
                    <tr key={r.eventId}>
                      <th scope="row">{count(r.deviceSeq)}</th>
                      <td dir="ltr">{r.ticketNumber ?? t('admin.sync.none')}</td>
                      <td dir="auto">{r.reason}</td>
                      <td>{when(r.receivedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ))}
        </>
      )}
    </div>
  );
}
