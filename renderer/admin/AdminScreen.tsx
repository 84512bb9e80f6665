// The branch IT person's screen: live dashboard, then the configuration, one tab each.
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { useLobby } from '../shared/useLobby';
import { useScreenLanguage } from '../shared/useScreenLanguage';
import { BranchAdmin } from './BranchAdmin';
import { CountersAdmin } from './CountersAdmin';
import { Dashboard } from './Dashboard';
import { DevicesAdmin } from './DevicesAdmin';
import { ServicesAdmin } from './ServicesAdmin';
import { PrintersAdmin } from './PrintersAdmin';
import { AppointmentsAdmin } from './AppointmentsAdmin';
import { recordJob, type JobSnapshot } from '../shared/print-jobs';
import { SyncPanel } from './SyncPanel';
import { hub } from '../shared/hub';
import { errorText } from '../shared/error-text';
import { mergeSyncStatus, type TimedSyncStatus } from '../shared/sync-state';

const TABS = [
  'dashboard',
  'services',
  'counters',
  'devices',
  'printers',
  'appointments',
  'branch',
] as const;
type Tab = (typeof TABS)[number];

export function AdminScreen() {
  const { t } = useTranslation();
  const [statsTick, setStatsTick] = useState(0);
  const [hardwareTick, setHardwareTick] = useState(0);
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobSnapshot>>(new Map());
  const [sync, setSync] = useState<TimedSyncStatus | null>(null);
  const [syncError, setSyncError] = useState('');
  const took = (status: TimedSyncStatus) => {
    setSync((current) => mergeSyncStatus(current, status));
    setSyncError('');
  };
  const { lobby, connection } = useLobby({
    // Any ticket movement changes the dashboard (and appointments): let them refetch (debounced).
    onLiveEvent: (e) => {
      if ('ticket' in e) setStatsTick((n) => n + 1);
    },
    // Printer states and jobs: the printers tab refetches; test pages are followed here.
    onLiveMessage: (m) => {
      if (m.type === 'print.job') setJobs((all) => recordJob(all, m));
      if (m.type !== 'scanner.result') setHardwareTick((n) => n + 1);
    },
    // The central link: read on every (re)connection (live messages are not replayed), then
    // followed by `sync.status`.
    onConnected: () => {
      const askedAt = Date.now();
      hub.syncStatus().then(
        (status) => took({ status, receivedAt: askedAt }),
        (e: unknown) => setSyncError(errorText(e, t)),
      );
    },
    onSyncStatus: (status) => took({ status, receivedAt: Date.now() }),
  });
  useScreenLanguage(lobby.branch?.defaultLang);
  const initial = TABS.find((x) => x === location.hash.slice(1)) ?? 'dashboard';
  const [tab, setTab] = useState<Tab>(initial);
  const tabRefs = useRef<Partial<Record<Tab, HTMLButtonElement | null>>>({});

  const select = (next: Tab) => {
    setTab(next);
    history.replaceState(history.state, '', `#${next}`);
  };
  // Arrow keys move between tabs (WAI-ARIA tabs pattern); Home/End jump.
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const rtl = document.documentElement.dir === 'rtl';
    const step = { ArrowRight: rtl ? -1 : 1, ArrowLeft: rtl ? 1 : -1 }[e.key];
    let next: Tab | undefined;
    if (step) next = TABS[(i + step + TABS.length) % TABS.length];
    if (e.key === 'Home') next = TABS[0];
    if (e.key === 'End') next = TABS[TABS.length - 1];
    if (!next) return;
    e.preventDefault();
    select(next);
    tabRefs.current[next]?.focus();
  };

  return (
    <div className="admin">
      <header className="admin__header">
        <h1>{t('admin.title', { branch: lobby.branch?.name ?? '' })}</h1>
      </header>
      <div
        className="admin__tabs"
        role="tablist"
        aria-label={t('common.appName')}
        onKeyDown={onKey}
      >
        {TABS.map((id) => (
          <button
            key={id}
            ref={(el) => {
              tabRefs.current[id] = el;
            }}
            type="button"
            role="tab"
            id={`tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            className="admin__tab"
            onClick={() => select(id)}
          >
            {t(`admin.tabs.${id}`)}
          </button>
        ))}
      </div>
      <main
        className="admin__panel"
        role="tabpanel"
        id={`panel-${tab}`}
        aria-labelledby={`tab-${tab}`}
      >
        {tab === 'dashboard' && (
          <>
            <SyncPanel status={sync?.status ?? null} error={syncError} />
            <Dashboard lobby={lobby} tick={statsTick} />
          </>
        )}
        {tab === 'services' && <ServicesAdmin lobby={lobby} />}
        {tab === 'counters' && <CountersAdmin lobby={lobby} />}
        {tab === 'devices' && <DevicesAdmin lobby={lobby} />}
        {tab === 'printers' && <PrintersAdmin tick={hardwareTick} jobs={jobs} />}
        {tab === 'appointments' && <AppointmentsAdmin lobby={lobby} tick={statsTick} />}
        {tab === 'branch' && lobby.branch && <BranchAdmin branch={lobby.branch} />}
      </main>
      <ConnectionBadge state={connection} />
    </div>
  );
}
