// The live picture of the branch that display, counter and kiosk screens share, as pure
// functions: built from a snapshot, then moved forward one stream event at a time.
import type {
  BranchDto,
  CounterDto,
  QueueDto,
  ServiceDto,
  TicketDto,
  TicketStreamEvent,
} from '../../core/api/schemas';
import type { HubEvent } from '../api';

/** One call shown in a display's history: numbers and counters only, never a person. */
export interface CallRecord {
  key: string;
  ticketId: string;
  number: string;
  serviceId: string;
  counterId: string | null;
  at: string;
  recall: boolean;
  lang: string;
}

export interface LobbySnapshot {
  seq: number;
  branch: BranchDto;
  queue: QueueDto;
  services: ServiceDto[];
  counters: CounterDto[];
}

export interface LobbyState {
  seq: number;
  branch: BranchDto | null;
  waiting: TicketDto[];
  called: TicketDto[];
  serving: TicketDto[];
  services: ServiceDto[];
  counters: CounterDto[];
  /** Newest first, one entry per ticket (a recall moves it back to the top). */
  calls: CallRecord[];
  /** The branch's business day as last reported (hello, snapshot, newest ticket); null: unknown. */
  businessDay: string | null;
}

export const HISTORY_LIMIT = 20;

export const emptyLobby: LobbyState = {
  seq: 0,
  branch: null,
  waiting: [],
  called: [],
  serving: [],
  services: [],
  counters: [],
  calls: [],
  businessDay: null,
};

/**
 * The hub says which business day it is: when that is not the day we hold, yesterday's calls
 * leave the display (a TV left on overnight must not show them as "previous calls").
 */
export function withBusinessDay(
  state: LobbyState,
  businessDay: string | null | undefined,
): LobbyState {
  if (!businessDay || businessDay === state.businessDay) return state;
  const calls = state.businessDay === null ? state.calls : [];
  return { ...state, businessDay, calls };
}

const byQueuedAt = (a: TicketDto, b: TicketDto) =>
  Date.parse(a.queuedAt) - Date.parse(b.queuedAt) || a.number.localeCompare(b.number);

export function fromSnapshot(previous: LobbyState, snapshot: LobbySnapshot): LobbyState {
  const { queue } = snapshot;
  // A snapshot of another day: nothing we held is a previous call any more.
  const dayChanged = Boolean(
    queue.businessDay && previous.businessDay && queue.businessDay !== previous.businessDay,
  );
  const older = dayChanged ? [] : previous.calls;
  // Calls still on screen after a resync: what the hub says is called/serving now, plus the
  // older history we already had (finished tickets are still "previous calls").
  const current: CallRecord[] = [...queue.called, ...queue.serving]
    .filter((t) => t.calledAt)
    .map((t) => ({
      key: `snapshot:${t.id}:${t.calledAt}:${t.recalls}`,
      ticketId: t.id,
      number: t.number,
      serviceId: t.serviceId,
      counterId: t.counterId,
      at: t.calledAt ?? t.queuedAt,
      recall: t.recalls > 0,
      lang: t.lang,
    }));
  const known = new Set(current.map((c) => c.ticketId));
  const calls = [...current, ...older.filter((c) => !known.has(c.ticketId))]
    .sort((a, b) => Date.parse(b.at) - Date.parse(a.at))
    .slice(0, HISTORY_LIMIT);
  return {
    seq: snapshot.seq,
    branch: snapshot.branch,
    waiting: [...queue.waiting].sort(byQueuedAt),
    called: queue.called,
    serving: queue.serving,
    services: [...snapshot.services].sort((a, b) => a.position - b.position),
    counters: snapshot.counters,
    calls,
    businessDay: queue.businessDay ?? previous.businessDay,
  };
}

/** Fresh configuration (after a config.changed event): the queue itself is untouched. */
export function withConfig(
  state: LobbyState,
  config: { branch: BranchDto; services: ServiceDto[]; counters: CounterDto[] },
): LobbyState {
  return {
    ...state,
    branch: config.branch,
    services: [...config.services].sort((a, b) => a.position - b.position),
    counters: config.counters,
  };
}

/** Put a ticket where its status says, wherever it was before. */
export function applyTicket(state: LobbyState, ticket: TicketDto): LobbyState {
  const others = (list: TicketDto[]) => list.filter((t) => t.id !== ticket.id);
  const waiting = others(state.waiting);
  const called = others(state.called);
  const serving = others(state.serving);
  if (ticket.status === 'waiting') {
    waiting.push(ticket);
    waiting.sort(byQueuedAt);
  }
  if (ticket.status === 'called') called.push(ticket);
  if (ticket.status === 'serving') serving.push(ticket);
  const atCounter = ticket.status === 'called' || ticket.status === 'serving';
  const counters = state.counters.map((c) => {
    if (atCounter && c.id === ticket.counterId) return { ...c, currentTicket: ticket };
    if (c.currentTicket?.id === ticket.id) return { ...c, currentTicket: null };
    return c;
  });
  return { ...state, waiting, called, serving, counters };
}

export function applyEvent(state: LobbyState, event: HubEvent): LobbyState {
  const next = { ...state, seq: Math.max(state.seq, event.seq) };
  if ('counter' in event) {
    const { counter } = event;
    const counters = next.counters.map((c) => (c.id === counter.id ? { ...c, ...counter } : c));
    return { ...next, counters };
  }
  // Configuration changes carry no data: useLobby refetches services and counters.
  if (!('ticket' in event)) return next;
  // A ticket of a later day (ISO dates compare as strings) means the day turned while connected.
  const day = event.ticket.businessDay;
  const dated =
    next.businessDay !== null && day > next.businessDay ? withBusinessDay(next, day) : next;
  const moved = applyTicket(dated, event.ticket);
  if (!isCall(event)) return moved;
  return { ...moved, calls: pushCall(moved.calls, callRecord(event)) };
}

export function isCall(event: HubEvent): event is TicketStreamEvent {
  return ('ticket' in event && event.type === 'ticket.called') || event.type === 'ticket.recalled';
}

export function callRecord(event: TicketStreamEvent): CallRecord {
  const t = event.ticket;
  return {
    key: event.eventId,
    ticketId: t.id,
    number: t.number,
    serviceId: t.serviceId,
    counterId: event.counterId ?? t.counterId,
    at: event.at,
    recall: event.type === 'ticket.recalled',
    lang: t.lang,
  };
}

function pushCall(calls: CallRecord[], call: CallRecord): CallRecord[] {
  return [call, ...calls.filter((c) => c.ticketId !== call.ticketId)].slice(0, HISTORY_LIMIT);
}

/** People waiting per service id, from the live queue (fresher than ServiceDto.waiting). */
export function waitingByService(state: Pick<LobbyState, 'waiting'>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const t of state.waiting) counts.set(t.serviceId, (counts.get(t.serviceId) ?? 0) + 1);
  return counts;
}

/** Longest current wait per service id, in seconds at `now`. */
export function longestWaitByService(
  state: Pick<LobbyState, 'waiting'>,
  now: number,
): Map<string, number> {
  const longest = new Map<string, number>();
  for (const t of state.waiting) {
    const waited = Math.max(0, Math.floor((now - Date.parse(t.queuedAt)) / 1000));
    longest.set(t.serviceId, Math.max(longest.get(t.serviceId) ?? 0, waited));
  }
  return longest;
}
