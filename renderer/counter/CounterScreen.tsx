// The counter terminal: one counter, its current ticket and every action on it, its services'
// queues, and a keyboard shortcut for each action. Laid out for 1280×720.
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LiveStreamMessage, TicketDto } from '../../core/api/schemas';
import { recordJob, type JobSnapshot } from '../shared/print-jobs';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { useLobby } from '../shared/useLobby';
import { useScreenLanguage } from '../shared/useScreenLanguage';
import { CurrentTicketPanel } from './CurrentTicketPanel';
import { actionForKey, SHORTCUTS, type CounterAction } from './shortcuts';
import { TransferDialog } from './TransferDialog';
import { useCounterActions } from './useCounterActions';
import { ActionButton } from './ActionButton';
import { QueuePanel } from './QueuePanel';

export function CounterScreen({ counterId }: { counterId: string | null }) {
  const { t } = useTranslation();
  if (!counterId) {
    return (
      <main className="gate">
        <p role="alert">{t('pairing.needCounter')}</p>
      </main>
    );
  }
  return <CounterTerminal counterId={counterId} />;
}

function CounterTerminal({ counterId }: { counterId: string }) {
  const { t } = useTranslation();
  // Print jobs this counter asked for (reprints) come back on the stream.
  const [jobs, setJobs] = useState<ReadonlyMap<string, JobSnapshot>>(new Map());
  const onLiveMessage = (message: LiveStreamMessage) => {
    if (message.type === 'print.job') setJobs((all) => recordJob(all, message));
  };
  const { lobby, connection, ready, setLobby, syncStatus } = useLobby({ onLiveMessage });
  useScreenLanguage(lobby.branch?.defaultLang);
  const actions = useCounterActions(counterId, setLobby);
  const [transferring, setTransferring] = useState<TicketDto | null>(null);

  const counter = lobby.counters.find((c) => c.id === counterId);
  const current = counter?.currentTicket ?? null;
  const paused = counter?.status === 'paused';
  const idle = !current && !paused;

  const can: Record<CounterAction, boolean> = {
    callNext: Boolean(counter) && idle,
    recall: current?.status === 'called',
    start: current?.status === 'called',
    finish: current?.status === 'serving',
    noShow: current?.status === 'called',
    transfer: Boolean(current),
    reprint: Boolean(current),
    pause: Boolean(counter),
  };
  const perform = (action: CounterAction) => {
    if (!can[action] || actions.busy || !counter) return;
    if (action === 'callNext') return actions.callNext();
    if (action === 'pause') return actions.togglePause(counter);
    if (!current) return;
    if (action === 'transfer') return setTransferring(current);
    if (action === 'reprint') return actions.reprint(current);
    const route = {
      recall: 'recall',
      start: 'start',
      finish: 'finish',
      noShow: 'no-show',
    } as const;
    actions.ticketAction(current, route[action]);
  };

  // Shortcuts: read the latest `perform` without re-registering the listener on every render.
  const performRef = useRef(perform);
  useEffect(() => {
    performRef.current = perform;
  });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (document.querySelector('dialog[open]')) return;
      const target = e.target instanceof HTMLElement ? e.target : null;
      const action = actionForKey({
        key: e.key,
        code: e.code,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        targetTag: target?.tagName,
        targetEditable: target?.isContentEditable,
      });
      if (!action) return;
      e.preventDefault();
      performRef.current(action);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const title = t('counter.title', { name: counter?.name ?? counterId });
  useEffect(() => {
    document.title = `${title} · Guichet`;
  }, [title]);

  return (
    <div className="counter" aria-busy={!ready} data-busy={actions.busy}>
      <header className="counter__header">
        <h1>{title}</h1>
        {counter && (
          <span
            className={`counter__status counter__status--${counter.status}`}
            data-testid="counter-status"
          >
            {t(`counter.status.${counter.status}`)}
          </span>
        )}
        <p className="counter__branch">{lobby.branch?.name}</p>
        <ActionButton
          label={paused ? t('counter.actions.resume') : t('counter.actions.pause')}
          shortcut={SHORTCUTS.pause}
          onClick={() => perform('pause')}
          disabled={!can.pause || actions.busy}
          testId="action-pause"
        />
      </header>

      {paused && (
        <p className="counter__banner" role="status">
          {t('counter.pausedBanner')}
        </p>
      )}
      <div className="counter__feedback">
        <p
          className="counter__message"
          role="status"
          aria-live="polite"
          data-testid="counter-message"
        >
          {actions.message}
        </p>
        <p className="error" role="alert">
          {actions.error}
        </p>
        <ReprintStatus job={actions.reprintJob} jobs={jobs} />
      </div>

      <main className="counter__grid">
        <CurrentTicketPanel
          current={current}
          lobby={lobby}
          can={can}
          busy={actions.busy}
          onAction={perform}
        />
        {counter && (
          <QueuePanel
            counter={counter}
            lobby={lobby}
            canCall={idle && !actions.busy}
            onCall={actions.callTicket}
          />
        )}
      </main>

      <TransferDialog
        ticket={transferring}
        services={lobby.services}
        defaultLang={lobby.branch?.defaultLang ?? 'fr'}
        onClose={() => setTransferring(null)}
        onConfirm={(serviceId, note) => {
          if (transferring) actions.transfer(transferring, serviceId, note);
          setTransferring(null);
        }}
      />
      <ConnectionBadge state={connection} central={syncStatus} />
    </div>
  );
}

/** Where the last reprint stands: waiting for the printer, printed, or failed and why. */
function ReprintStatus({
  job,
  jobs,
}: {
  job: { jobId: string; number: string } | null;
  jobs: ReadonlyMap<string, JobSnapshot>;
}) {
  const { t } = useTranslation();
  const state = job ? (jobs.get(job.jobId)?.state ?? 'queued') : null;
  const reason = job ? (jobs.get(job.jobId)?.reason ?? '') : '';
  return (
    <p
      className={`counter__reprint${state === 'failed' ? ' error' : ''}`}
      role="status"
      data-testid="reprint-status"
      data-state={state ?? undefined}
    >
      {job && state
        ? t(`counter.reprint.${state}`, { number: job.number, reason: reason || '—' })
        : ''}
    </p>
  );
}
