// The domain vocabulary shared by the hub, the screens and (later) the central server.
// Times are milliseconds since the Unix epoch inside the domain; the API turns them into ISO strings.

/** A language code such as "fr", "en" or "ar". */
export type Lang = string;

/** A text in several languages, keyed by language code: `{ fr: 'Passeports', en: 'Passports' }`. */
export type LocalizedText = Record<Lang, string>;

export interface Service {
  id: string;
  /** One capital letter that starts every ticket number of this service: "A" gives A001. */
  prefix: string;
  name: LocalizedText;
  /** A closed service issues no new ticket; tickets already waiting are still served. */
  open: boolean;
  position: number;
}

/** One line of a counter's work profile: a service it serves and how strongly it prefers it. */
export interface WorkProfileEntry {
  serviceId: string;
  /** A positive integer; 3 means "three times as eager" as a service of weight 1. */
  weight: number;
}

export const COUNTER_STATUSES = ['open', 'paused', 'closed'] as const;
export type CounterStatus = (typeof COUNTER_STATUSES)[number];

export interface Counter {
  id: string;
  name: string;
  status: CounterStatus;
  profile: WorkProfileEntry[];
}

/**
 * A ticket's life: waiting → called → serving → done, or no_show / cancelled.
 * A transfer sends a ticket (waiting, called or serving) back to `waiting` in another service with
 * its original `queuedAt`, so the visitor keeps their number and place (core/ticket-lifecycle.ts).
 */
export const TICKET_STATUSES = [
  'waiting',
  'called',
  'serving',
  'done',
  'no_show',
  'cancelled',
] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_SOURCES = ['walk_in', 'appointment'] as const;
export type TicketSource = (typeof TICKET_SOURCES)[number];

/** Why "call next" chose a ticket, kept with the call so the counter screen can explain it. */
export const CALL_RULES = ['aging', 'priority', 'priority_cap', 'weighted', 'manual'] as const;
export type CallRule = (typeof CALL_RULES)[number];

export interface CallReason {
  /**
   * aging: it waited past the aging threshold, which beats every other rule;
   * priority: a priority visitor goes first;
   * priority_cap: a normal ticket, because the counter already called `priorityCap` priority tickets in a row;
   * weighted: the best waited-seconds × service-weight score among normal tickets;
   * manual: staff called this ticket by hand.
   * (A priority ticket called when no normal ticket waits is a `priority` call.)
   */
  rule: CallRule;
  serviceId: string;
  waitedSec: number;
  /** The service's weight in the counter's profile (absent for manual calls of a service outside it). */
  weight?: number;
  /** waitedSec × weight, for weighted choices. */
  score?: number;
  /** Priority calls in a row at this counter before this call. */
  priorityStreak?: number;
  priorityCap?: number;
  agingThresholdSec?: number;
}

export interface Ticket {
  id: string;
  /** The number shown and announced: prefix + at least 3 digits, e.g. "A001". */
  number: string;
  /** Per (issuedServiceId, businessDay), starting at 1 each day. */
  seq: number;
  /** The branch's local date of issue, YYYY-MM-DD. */
  businessDay: string;
  /** The service the number was drawn from; never changes. */
  issuedServiceId: string;
  /** The service the ticket waits for now (changes on transfer). */
  serviceId: string;
  priority: boolean;
  lang: Lang;
  source: TicketSource;
  status: TicketStatus;
  issuedAt: number;
  /** Place in the queue: the arrival time, kept across transfers. */
  queuedAt: number;
  calledAt: number | null;
  startedAt: number | null;
  finishedAt: number | null;
  counterId: string | null;
  recalls: number;
  transfers: number;
  callReason: CallReason | null;
}

/** Branch-wide rules for calling; stored in the branch settings. */
export interface CallPolicy {
  /** K: at most this many priority calls in a row at one counter while a normal ticket waits. */
  priorityCap: number;
  /** A ticket that has waited this long is called before anything else (oldest first). */
  agingThresholdSec: number;
  /** N: recalls allowed; the recall after the Nth turns the ticket into a no-show. */
  maxRecalls: number;
}

export const DEFAULT_CALL_POLICY: CallPolicy = {
  priorityCap: 2,
  agingThresholdSec: 30 * 60,
  maxRecalls: 3,
};
