// Runs the counter's actions: one Idempotency-Key per press, one action at a time, the hub's
// answer applied at once (the stream event that follows is the same state), and a short message
// for the live region.
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterDto, TicketDto } from '../../core/api/schemas';
import { isApiError, newActionKey } from '../api';
import { errorText } from '../shared/error-text';
import { hub } from '../shared/hub';
import { applyTicket, type LobbyState } from '../shared/lobby-state';

const KNOWN_ERRORS = new Set([
  'counter_busy',
  'counter_paused',
  'illegal_transition',
  'no_printer',
  'forbidden',
]);

/** The reprint this counter asked for last, followed on the stream until it ends. */
export interface ReprintJob {
  jobId: string;
  number: string;
}

export interface CounterActions {
  busy: boolean;
  message: string;
  error: string;
  callNext(): void;
  callTicket(ticket: TicketDto): void;
  ticketAction(ticket: TicketDto, action: 'recall' | 'start' | 'finish' | 'no-show'): void;
  transfer(ticket: TicketDto, serviceId: string, note: string): void;
  togglePause(counter: CounterDto): void;
  reprint(ticket: TicketDto): void;
  /** The latest reprint asked from this screen (its state comes from the stream). */
  reprintJob: ReprintJob | null;
}

export function useCounterActions(
  counterId: string,
  setLobby: (update: (s: LobbyState) => LobbyState) => void,
): CounterActions {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState('');
  const [error, setError] = useState('');
  const [reprintJob, setReprintJob] = useState<ReprintJob | null>(null);

  const run = async (work: (key: string) => Promise<string>) => {
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      setMessage(await work(newActionKey()));
    } catch (e) {
      setMessage('');
      // The hub's codes staff meet in a rush get a translated sentence; others its message.
      setError(
        isApiError(e) && KNOWN_ERRORS.has(e.code) ? t(`counter.errors.${e.code}`) : errorText(e, t),
      );
    } finally {
      setBusy(false);
    }
  };
  const applied = (ticket: TicketDto) => setLobby((s) => applyTicket(s, ticket));
  const applyCounter = (counter: CounterDto) =>
    setLobby((s) => ({
      ...s,
      counters: s.counters.map((c) => (c.id === counter.id ? counter : c)),
    }));

  const ACTION_MESSAGES = {
    recall: 'counter.lastAction.recalled',
    start: 'counter.lastAction.started',
    finish: 'counter.lastAction.finished',
    'no-show': 'counter.lastAction.noShow',
  } as const;

  return {
    busy,
    message,
    error,
    reprintJob,
    reprint: (current) =>
      void run(async (key) => {
        setReprintJob(null);
        const job = await hub.reprint(current.id, key);
        setReprintJob({ jobId: job.jobId, number: current.number });
        return t('counter.lastAction.reprinted', { number: current.number });
      }),
    callNext: () =>
      void run(async (key) => {
        const ticket = await hub.callNext(counterId, key);
        if (!ticket) return t('counter.nobodyToCall');
        applied(ticket);
        return t('counter.lastAction.called', { number: ticket.number });
      }),
    callTicket: (waiting) =>
      void run(async (key) => {
        const ticket = await hub.callTicket(counterId, waiting.id, key);
        applied(ticket);
        return t('counter.lastAction.called', { number: ticket.number });
      }),
    ticketAction: (current, action) =>
      void run(async (key) => {
        const ticket = await hub.ticketAction(current.id, action, key);
        applied(ticket);
        // The recall after the last allowed one makes the ticket a no-show: say what happened.
        const said = ticket.status === 'no_show' ? 'no-show' : action;
        return t(ACTION_MESSAGES[said], { number: ticket.number });
      }),
    transfer: (current, serviceId, note) =>
      void run(async (key) => {
        const body = note.trim() ? { serviceId, note: note.trim() } : { serviceId };
        const ticket = await hub.transfer(current.id, body, key);
        applied(ticket);
        return t('counter.lastAction.transferred', { number: ticket.number });
      }),
    togglePause: (counter) =>
      void run(async (key) => {
        const paused = counter.status === 'paused';
        const next = paused
          ? await hub.resumeCounter(counter.id, key)
          : await hub.pauseCounter(counter.id, key);
        applyCounter(next);
        return t(paused ? 'counter.lastAction.resumed' : 'counter.lastAction.paused');
      }),
  };
}
