// The hub's LAN API contract, as zod schemas shared by the hub (validation, OpenAPI) and the
// screens (typed client). Times cross the wire as ISO-8601 strings.
import { z } from 'zod';
import { CALL_RULES, COUNTER_STATUSES, TICKET_SOURCES, TICKET_STATUSES } from '../model';

export const ROLES = ['kiosk', 'display', 'counter', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Identifiers are short, printable and safe in a URL: what we generate is a UUID or a slug. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id holds only letters, digits, "-" and "_"');
export const LangCode = z
  .string()
  .min(2)
  .max(8)
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,4})?$/, 'a language code such as "fr" or "en"');
export const LocalizedText = z.record(LangCode, z.string().min(1).max(120));
const IsoTime = z.string().datetime({ offset: true });

export const ErrorBody = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

export const CallReasonDto = z.object({
  rule: z.enum(CALL_RULES),
  serviceId: z.string(),
  waitedSec: z.number(),
  weight: z.number().optional(),
  score: z.number().optional(),
  priorityStreak: z.number().optional(),
  priorityCap: z.number().optional(),
  agingThresholdSec: z.number().optional(),
});

export const TicketDto = z.object({
  id: z.string(),
  number: z.string(),
  serviceId: z.string(),
  issuedServiceId: z.string(),
  status: z.enum(TICKET_STATUSES),
  priority: z.boolean(),
  lang: z.string(),
  source: z.enum(TICKET_SOURCES),
  businessDay: z.string(),
  issuedAt: IsoTime,
  queuedAt: IsoTime,
  calledAt: IsoTime.nullable(),
  startedAt: IsoTime.nullable(),
  finishedAt: IsoTime.nullable(),
  counterId: z.string().nullable(),
  recalls: z.number().int(),
  transfers: z.number().int(),
  callReason: CallReasonDto.nullable(),
});
export type TicketDto = z.infer<typeof TicketDto>;

/** A ticket with where it stands in its queue (for kiosks and follow-up pages). */
export const TicketWithPositionDto = TicketDto.extend({
  ahead: z.number().int(),
  estimatedWaitSec: z.number().int().nullable(),
});
export type TicketWithPositionDto = z.infer<typeof TicketWithPositionDto>;

export const ServiceDto = z.object({
  id: z.string(),
  prefix: z.string(),
  name: LocalizedText,
  open: z.boolean(),
  position: z.number().int(),
  waiting: z.number().int(),
  /** Null when no open counter serves the service, so no honest estimate exists. */
  estimatedWaitSec: z.number().int().nullable(),
  longestWaitSec: z.number().int(),
});
export type ServiceDto = z.infer<typeof ServiceDto>;

export const WorkProfileEntryDto = z.object({
  serviceId: Id,
  weight: z.number().int().min(1).max(100),
});

export const CounterDto = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(COUNTER_STATUSES),
  profile: z.array(WorkProfileEntryDto),
  currentTicket: TicketDto.nullable(),
});
export type CounterDto = z.infer<typeof CounterDto>;

export const BranchDto = z.object({
  id: z.string(),
  name: z.string(),
  timeZone: z.string(),
  defaultLang: z.string(),
  languages: z.array(z.string()),
  /** Most people allowed in the building (waiting + being served); null for no limit. */
  capacity: z.number().int().nullable(),
  priorityEnabled: z.boolean(),
  inactivityTimeoutSec: z.number().int(),
  /** Per language, with {number} and {counter} placeholders. */
  announcementTemplates: z.record(z.string(), z.string()),
  priorityCap: z.number().int(),
  agingThresholdSec: z.number().int(),
  maxRecalls: z.number().int(),
  /** Waiting + called + serving right now, against `capacity`. */
  occupancy: z.number().int(),
});
export type BranchDto = z.infer<typeof BranchDto>;

export const MeDto = z.object({
  deviceId: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  counterId: z.string().nullable(),
});
export type MeDto = z.infer<typeof MeDto>;

export const QueueDto = z.object({
  waiting: z.array(TicketDto),
  called: z.array(TicketDto),
  serving: z.array(TicketDto),
  /** The stream sequence this snapshot includes: events with a higher seq are newer. */
  seq: z.number().int(),
});
export type QueueDto = z.infer<typeof QueueDto>;

// ---- request bodies ----
export const IssueTicketBody = z
  .object({
    serviceId: Id,
    priority: z.boolean().optional(),
    lang: LangCode.optional(),
  })
  .strict();
export type IssueTicketBody = z.infer<typeof IssueTicketBody>;

export const TransferBody = z
  .object({ serviceId: Id, note: z.string().max(500).optional() })
  .strict();
export type TransferBody = z.infer<typeof TransferBody>;

export const CallTicketBody = z.object({ ticketId: Id }).strict();
export type CallTicketBody = z.infer<typeof CallTicketBody>;

export const CallNextResponse = z.object({ ticket: TicketDto });

// ---- stream ----
export const TICKET_EVENT_TYPES = [
  'ticket.issued',
  'ticket.called',
  'ticket.recalled',
  'ticket.started',
  'ticket.finished',
  'ticket.no_show',
  'ticket.transferred',
  'ticket.cancelled',
] as const;
export type TicketEventType = (typeof TICKET_EVENT_TYPES)[number];

export const COUNTER_EVENT_TYPES = ['counter.paused', 'counter.resumed'] as const;
export type CounterEventType = (typeof COUNTER_EVENT_TYPES)[number];

export const TicketStreamEvent = z.object({
  type: z.enum(TICKET_EVENT_TYPES),
  /** The hub's event log position: strictly increasing, so a screen can ignore what it has seen. */
  seq: z.number().int(),
  eventId: z.string(),
  at: IsoTime,
  ticket: TicketDto,
  counterId: z.string().nullable(),
  /** For ticket.transferred: the service it left. */
  fromServiceId: z.string().optional(),
  note: z.string().optional(),
});
export type TicketStreamEvent = z.infer<typeof TicketStreamEvent>;

export const CounterStreamEvent = z.object({
  type: z.enum(COUNTER_EVENT_TYPES),
  seq: z.number().int(),
  eventId: z.string(),
  at: IsoTime,
  counter: CounterDto.omit({ currentTicket: true }),
});
export type CounterStreamEvent = z.infer<typeof CounterStreamEvent>;

/** Configuration changed (services, counters, branch settings): screens refetch what they show. */
export const ConfigChangedEvent = z.object({
  type: z.literal('config.changed'),
  seq: z.number().int(),
  eventId: z.string(),
  at: IsoTime,
  /** The event behind it, e.g. "service.updated". */
  cause: z.string(),
});
export type ConfigChangedEvent = z.infer<typeof ConfigChangedEvent>;

/** First message on every stream connection: where the log stands, to resync from. */
export const StreamHello = z.object({
  type: z.literal('stream.hello'),
  seq: z.number().int(),
  at: IsoTime,
});

export const StreamMessage = z.union([
  TicketStreamEvent,
  CounterStreamEvent,
  ConfigChangedEvent,
  StreamHello,
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

// ---- devices and statistics (admin) ----
export const DeviceDto = z.object({
  id: z.string(),
  name: z.string(),
  role: z.enum(ROLES),
  counterId: z.string().nullable(),
  createdAt: IsoTime,
  revokedAt: IsoTime.nullable(),
});
export type DeviceDto = z.infer<typeof DeviceDto>;

/** The answer to creating a device: its token and pairing code are shown this once only. */
export const CreatedDeviceDto = z.object({
  device: DeviceDto,
  token: z.string(),
  pairingCode: z.string(),
});
export type CreatedDeviceDto = z.infer<typeof CreatedDeviceDto>;

export const TodayStatsDto = z.object({
  businessDay: z.string(),
  waitingNow: z.number().int(),
  servedToday: z.number().int(),
  services: z.array(
    z.object({
      serviceId: z.string(),
      waiting: z.number().int(),
      served: z.number().int(),
      noShows: z.number().int(),
      avgWaitSec: z.number().nullable(),
      longestWaitSec: z.number(),
    }),
  ),
  counters: z.array(
    z.object({
      counterId: z.string(),
      served: z.number().int(),
      avgServiceSec: z.number().nullable(),
      avgWaitSec: z.number().nullable(),
    }),
  ),
});
export type TodayStatsDto = z.infer<typeof TodayStatsDto>;
