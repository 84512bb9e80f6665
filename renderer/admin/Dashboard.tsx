// Live dashboard: today's numbers from GET /stats/today, refetched after queue events and every
// 15 s, as headline figures, charts and tables (the tables are the charts' accessible data).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TodayStatsDto } from '../../core/api/schemas';
import { hub } from '../shared/hub';
import { errorText } from '../shared/error-text';
import { formatDuration, serviceName } from '../shared/format';
import type { LobbyState } from '../shared/lobby-state';
import { BarChart } from './BarChart';

export function Dashboard({ lobby, tick }: { lobby: LobbyState; tick: number }) {
  const { t, i18n } = useTranslation();
  const [stats, setStats] = useState<TodayStatsDto | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    let cancelled = false;
    const load = () =>
      hub.statsToday().then(
        (s) => {
          if (cancelled) return;
          setStats(s);
          setError('');
        },
        (e: unknown) => !cancelled && setError(errorText(e, t)),
      );
    // A burst of events (a busy morning) causes one fetch, not one per event.
    const soon = setTimeout(() => void load(), tick === 0 ? 0 : 500);
    const every = setInterval(() => void load(), 15_000);
    return () => {
      cancelled = true;
      clearTimeout(soon);
      clearInterval(every);
    };
  }, [tick, t]);

  if (!stats) return <p role="status">{error || t('common.loading')}</p>;

  const lang = i18n.language;
  const sName = (id: string) =>
    serviceName(
      lobby.services.find((s) => s.id === id),
      lang,
      lobby.branch?.defaultLang,
    ) || id;
  const cName = (id: string) =>
    t('counter.title', { name: lobby.counters.find((c) => c.id === id)?.name ?? id });
  const dur = (sec: number | null) =>
    sec === null ? t('admin.dashboard.none') : formatDuration(sec, t);
  const minutes = (sec: number | null) => Math.round(((sec ?? 0) / 60) * 10) / 10;

  return (
    <div className="dashboard">
      <p className="error" role="alert">
        {error}
      </p>
      <dl className="dashboard__kpis">
        <div>
          <dt>{t('admin.dashboard.waitingNow')}</dt>
          <dd data-testid="kpi-waiting">{stats.waitingNow}</dd>
        </div>
        <div>
          <dt>{t('admin.dashboard.servedToday')}</dt>
          <dd data-testid="kpi-served">{stats.servedToday}</dd>
        </div>
      </dl>

      <div className="dashboard__charts">
        <BarChart
          id="chart-waiting"
          title={t('admin.dashboard.chartWaiting')}
          series={[{ name: t('admin.dashboard.waiting'), className: 'bar--a' }]}
          rows={stats.services.map((s) => ({ label: sName(s.serviceId), values: [s.waiting] }))}
        />
        <BarChart
          id="chart-waits"
          title={t('admin.dashboard.chartWaits')}
          series={[
            { name: t('admin.dashboard.avgWait'), className: 'bar--a' },
            { name: t('admin.dashboard.longestWait'), className: 'bar--b' },
          ]}
          rows={stats.services.map((s) => ({
            label: sName(s.serviceId),
            values: [minutes(s.avgWaitSec), minutes(s.longestWaitSec)],
          }))}
        />
        <BarChart
          id="chart-counters"
          title={t('admin.dashboard.chartCounters')}
          series={[{ name: t('admin.dashboard.served'), className: 'bar--a' }]}
          rows={stats.counters.map((c) => ({ label: cName(c.counterId), values: [c.served] }))}
        />
      </div>

      <h2>{t('admin.dashboard.perService')}</h2>
      <table className="admin__table">
        <thead>
          <tr>
            <th scope="col">{t('admin.tabs.services')}</th>
            <th scope="col">{t('admin.dashboard.waiting')}</th>
            <th scope="col">{t('admin.dashboard.served')}</th>
            <th scope="col">{t('admin.dashboard.noShows')}</th>
            <th scope="col">{t('admin.dashboard.avgWait')}</th>
            <th scope="col">{t('admin.dashboard.longestWait')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.services.map((s) => (
            <tr key={s.serviceId}>
              <th scope="row">{sName(s.serviceId)}</th>
              <td>{s.waiting}</td>
              <td>{s.served}</td>
              <td>{s.noShows}</td>
              <td>{dur(s.avgWaitSec)}</td>
              <td>{dur(s.longestWaitSec)}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>{t('admin.dashboard.perCounter')}</h2>
      <table className="admin__table">
        <thead>
          <tr>
            <th scope="col">{t('admin.tabs.counters')}</th>
            <th scope="col">{t('admin.dashboard.served')}</th>
            <th scope="col">{t('admin.dashboard.avgWait')}</th>
            <th scope="col">{t('admin.dashboard.avgService')}</th>
          </tr>
        </thead>
        <tbody>
          {stats.counters.map((c) => (
            <tr key={c.counterId}>
              <th scope="row">{cName(c.counterId)}</th>
              <td>{c.served}</td>
              <td>{dur(c.avgWaitSec)}</td>
              <td>{dur(c.avgServiceSec)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
