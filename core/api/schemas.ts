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
  /** The branch's business day at the snapshot. */
  businessDay: z.string().optional(),
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
  /** The branch's business day now: a screen left on overnight clears yesterday's calls. */
  businessDay: z.string().optional(),
});

// ---- lobby hardware: printers, print jobs, scanner results (live, not in the event log) ----
/** The printer states the hub reports; hardware/printer/queue.ts uses this same list. */
export const PRINTER_STATES = [
  'unknown',
  'ready',
  'paper_out',
  'cover_open',
  'offline',
  'error',
  'unreachable',
  'not_responding',
] as const;
export const PRINT_JOB_STATES = ['queued', 'printing', 'printed', 'failed'] as const;
export const PAPER_WIDTHS = [58, 80] as const;
export const PRINTER_TYPES = ['epson', 'star'] as const;

/** A printer's id: derived from its URL, so screens can follow a printer without seeing its URL. */
export const PrinterId = z.string().regex(/^prn-[0-9a-f]{10}$/);

/** What printing a ticket started: its job and the job's state when the answer was sent. */
export const PrintInfoDto = z.object({
  jobId: z.string(),
  printerId: PrinterId,
  state: z.enum(PRINT_JOB_STATES),
  reason: z.string().nullable().optional(),
});
export type PrintInfoDto = z.infer<typeof PrintInfoDto>;

/**
 * POST /api/v1/tickets and appointment check-in: the ticket, plus what its printing started
 * (null: the kiosk has no printer) and the ticket's signed code (for a barcode on screen).
 */
export const IssuedTicketDto = TicketWithPositionDto.extend({
  print: PrintInfoDto.nullable().optional(),
  code: z.string().optional(),
  /** The follow-up page's URL, the same one the printed QR code holds. */
  followUpUrl: z.string().optional(),
});
export type IssuedTicketDto = z.infer<typeof IssuedTicketDto>;

export const PrintJobDto = z.object({
  id: z.string(),
  state: z.enum(PRINT_JOB_STATES),
  attempts: z.number().int(),
  uncertain: z.boolean(),
  reason: z.string().nullable(),
  /** The ticket number (or "test"). */
  label: z.string().nullable(),
  createdAt: IsoTime,
  updatedAt: IsoTime,
});
export type PrintJobDto = z.infer<typeof PrintJobDto>;

export const PrinterStatusDto = z.object({
  printerId: PrinterId,
  state: z.enum(PRINTER_STATES),
  paperNearEnd: z.boolean(),
  /** Jobs queued or printing. */
  pending: z.number().int(),
  lastError: z.string().nullable(),
  checkedAt: IsoTime,
  paperWidthMm: z.union([z.literal(58), z.literal(80)]),
  printerType: z.enum(PRINTER_TYPES),
});
export type PrinterStatusDto = z.infer<typeof PrinterStatusDto>;

/** Admin's view of a printer: its URL, who prints on it, its status and its waiting jobs. */
export const PrinterDto = PrinterStatusDto.extend({
  url: z.string(),
  /** Kiosks whose own setting names this printer. */
  deviceIds: z.array(z.string()),
  /** Whether it is the hub's --printer default (kiosks without a setting print here). */
  isDefault: z.boolean(),
  pendingJobs: z.array(PrintJobDto),
});
export type PrinterDto = z.infer<typeof PrinterDto>;

export const DevicePrinterDto = z.object({
  deviceId: z.string(),
  /** Null: the device has no printer of its own (the hub's default applies to kiosks). */
  printer: z
    .object({
      printerId: PrinterId,
      url: z.string(),
      paperWidthMm: z.union([z.literal(58), z.literal(80)]),
      printerType: z.enum(PRINTER_TYPES),
    })
    .nullable(),
});
export type DevicePrinterDto = z.infer<typeof DevicePrinterDto>;

export const APPOINTMENT_STATUSES = ['booked', 'checked_in', 'cancelled'] as const;
export const AppointmentDto = z.object({
  id: z.string(),
  serviceId: z.string(),
  at: IsoTime,
  lang: z.string().nullable(),
  status: z.enum(APPOINTMENT_STATUSES),
  ticketId: z.string().nullable(),
  createdAt: IsoTime,
  checkedInAt: IsoTime.nullable(),
  /** The signed code to print or show (QR alphanumeric: upper-case letters, digits, "-"). */
  code: z.string(),
});
export type AppointmentDto = z.infer<typeof AppointmentDto>;

export const CreatedAppointmentDto = z.object({
  appointment: AppointmentDto,
  code: z.string(),
  /** The text to encode in a QR code (the code itself: alphanumeric mode, small symbol). */
  qrText: z.string(),
  /** The same QR code drawn as SVG, ready to show or print. */
  qrSvg: z.string(),
});
export type CreatedAppointmentDto = z.infer<typeof CreatedAppointmentDto>;

/** 409 on a second check-in: the error, and the ticket the first check-in issued. */
export const AlreadyCheckedInBody = ErrorBody.extend({ ticket: TicketWithPositionDto });
export type AlreadyCheckedInBody = z.infer<typeof AlreadyCheckedInBody>;

export const ScannerDto = z.object({
  /** Device path of the serial scanner, null when none is configured. */
  path: z.string().nullable(),
  /** Where the URL came from: the --scanner flag wins over the saved setting. */
  source: z.enum(['flag', 'setting', 'none']),
  state: z.enum(['opening', 'open', 'closed', 'error']),
  error: z.string().nullable(),
  /** The kiosk that shows scans: the setting, else the only kiosk; null when undecided. */
  kioskDeviceId: z.string().nullable(),
});
export type ScannerDto = z.infer<typeof ScannerDto>;

/**
 * Live messages: not in the event log (no seq). A screen that reconnects reads the current state
 * from GET /api/v1/me/printer or GET /api/v1/printers instead of replaying them.
 */
export const PrinterStatusEvent = z.object({
  type: z.literal('printer.status'),
  at: IsoTime,
  printerId: PrinterId,
  state: z.enum(PRINTER_STATES),
  paperNearEnd: z.boolean(),
  pending: z.number().int(),
});
export type PrinterStatusEvent = z.infer<typeof PrinterStatusEvent>;

export const PrintJobEvent = z.object({
  type: z.literal('print.job'),
  at: IsoTime,
  /** Null for a test page. */
  ticketId: z.string().nullable(),
  jobId: z.string(),
  printerId: PrinterId,
  state: z.enum(PRINT_JOB_STATES),
  attempts: z.number().int(),
  /** Why it waits (queued) or why it failed: for "printing failed — your ticket is on screen". */
  reason: z.string().optional(),
});
export type PrintJobEvent = z.infer<typeof PrintJobEvent>;

export const SCAN_KINDS = ['appointment', 'ticket'] as const;
export const ScannerResultEvent = z.object({
  type: z.literal('scanner.result'),
  at: IsoTime,
  ok: z.boolean(),
  /** What the code was, when it could be told. */
  kind: z.enum(SCAN_KINDS).nullable(),
  /** The ticket checked in (appointment) or looked up (ticket), also on "already checked in". */
  ticket: TicketWithPositionDto.optional(),
  print: PrintInfoDto.nullable().optional(),
  /** A machine-readable reason when ok is false (bad_signature, too_long, already_checked_in...). */
  reason: z.string().optional(),
  /** A sentence for the screen. */
  message: z.string(),
});
export type ScannerResultEvent = z.infer<typeof ScannerResultEvent>;

/** The hub's link to the central server, as the admin sees it (GET /api/v1/sync/status). */
export const SYNC_STATES = ['online', 'offline', 'never', 'error'] as const;
/** central: a hub's link to the central server; hub: a kiosk agent's link to its branch hub. */
export const SYNC_LINKS = ['central', 'hub'] as const;
export const SyncStatusDto = z.object({
  linked: z.boolean(),
  /**
   * Which link this status describes. Absent means central (what every hub sends); a kiosk agent
   * sends `hub` about its own link to the branch hub (its kiosk badge says so: the kiosk still
   * issues tickets). For `hub`, `centralHost` is the hub's host and `backlog` the agent's events.
   */
  link: z.enum(SYNC_LINKS).optional(),
  /** Host (and port) of the central server only: never the token, never a path or query. */
  centralHost: z.string().nullable(),
  /** never: no exchange yet; offline: unreachable, retrying; error: refused (e.g. a bad token). */
  state: z.enum(SYNC_STATES),
  lastSuccessAt: IsoTime.nullable(),
  /** Events of this hub's log the central server has not acknowledged yet. */
  backlog: z.number().int().min(0),
  lastError: z.string().nullable(),
});
export type SyncStatusDto = z.infer<typeof SyncStatusDto>;

/** Live: the sync status changed (admin shows it, other screens a discreet badge). */
export const SyncStatusEvent = SyncStatusDto.extend({
  type: z.literal('sync.status'),
  at: IsoTime,
});
export type SyncStatusEvent = z.infer<typeof SyncStatusEvent>;

/** An event a kiosk agent pushed that the hub refused: stored and acknowledged, never applied. */
export const AgentRejectedEventDto = z.object({
  eventId: z.string(),
  deviceSeq: z.number().int().min(1),
  type: z.string(),
  reason: z.string(),
  /** The number printed on the ticket the event carried, when it carried one. */
  ticketNumber: z.string().nullable(),
  ticketId: z.string().nullable(),
  receivedAt: IsoTime,
});
export type AgentRejectedEventDto = z.infer<typeof AgentRejectedEventDto>;

/** GET /api/v1/sync/agents (admin): one row per kiosk agent log (agent, epoch) the hub knows. */
export const AgentSyncStateDto = z.object({
  /** `agent-<kiosk device id>`: the log's name. */
  agentId: z.string(),
  /** The kiosk device whose token the agent presents, and its name (null: device deleted). */
  deviceId: z.string(),
  deviceName: z.string().nullable(),
  epoch: z.string(),
  /** false once the agent started a new epoch (a lost disk): this one's blocks are retired. */
  current: z.boolean(),
  /** The last push received (duplicates too); null when none since this log began. */
  lastPushAt: IsoTime.nullable(),
  /** The last number block granted to this epoch (an agent online tops up its blocks). */
  lastBlockAt: IsoTime.nullable(),
  ackSeq: z.number().int().min(0),
  /**
   * Events the agent's pushes showed past the acknowledgement; null before any push. An agent
   * that cannot reach the hub may hold more: the hub only knows what it was sent.
   */
  backlog: z.number().int().min(0).nullable(),
  applied: z.number().int().min(0),
  rejectedCount: z.number().int().min(0),
  /** The latest refused events, newest first (at most 50). */
  rejected: z.array(AgentRejectedEventDto),
});
export type AgentSyncStateDto = z.infer<typeof AgentSyncStateDto>;

export const LiveStreamMessage = z.union([PrinterStatusEvent, PrintJobEvent, ScannerResultEvent]);
export type LiveStreamMessage = z.infer<typeof LiveStreamMessage>;

/**
 * Everything the hub's live bus carries: the hardware messages plus `sync.status` (which
 * AnyStreamMessage also accepts; LiveStreamMessage, the hardware messages only, does not).
 */
export const HubLiveMessage = z.union([...LiveStreamMessage.options, SyncStatusEvent]);
export type HubLiveMessage = z.infer<typeof HubLiveMessage>;

export const StreamMessage = z.union([
  TicketStreamEvent,
  CounterStreamEvent,
  ConfigChangedEvent,
  StreamHello,
]);
export type StreamMessage = z.infer<typeof StreamMessage>;

/**
 * Everything the stream may send: the logged events above plus the live hardware messages (which
 * carry no seq). StreamMessage is kept as it was so screens written against it keep compiling and
 * skip the live messages; a screen that shows printer or scanner state parses this one instead.
 */
export const AnyStreamMessage = z.union([...StreamMessage.options, ...HubLiveMessage.options]);
export type AnyStreamMessage = z.infer<typeof AnyStreamMessage>;

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

/**
 * What a visitor's phone sees on the follow-up page (GET /api/v1/public/tickets/:id, no token):
 * the ticket's place and nothing personal. The ticket id (UUIDv7, 74 random bits) is the key.
 */
export const PublicTicketDto = z.object({
  number: z.string(),
  status: z.enum(TICKET_STATUSES),
  serviceId: z.string(),
  serviceName: LocalizedText,
  lang: z.string(),
  branchName: z.string(),
  ahead: z.number().int(),
  estimatedWaitSec: z.number().int().nullable(),
  /** The counter's name once called. */
  counterName: z.string().nullable(),
  calledAt: IsoTime.nullable(),
});
export type PublicTicketDto = z.infer<typeof PublicTicketDto>;

// ---- number blocks (offline kiosk agents, docs/sync.md) ----
/** Numbers per block when the agent does not say: about a busy hour of one kiosk. */
export const DEFAULT_NUMBER_BLOCK_SIZE = 50;
export const MAX_NUMBER_BLOCK_SIZE = 500;

export const NumberBlockRequest = z
  .object({
    /** The agent's log epoch: a new one retires every block granted to the previous one. */
    epoch: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_" (1–64)'),
    serviceId: Id,
    size: z.number().int().min(1).max(MAX_NUMBER_BLOCK_SIZE).optional(),
    /** The day the numbers are for: the hub's today (the default) or its next business day. */
    businessDay: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
      .optional(),
  })
  .strict();
export type NumberBlockRequest = z.infer<typeof NumberBlockRequest>;

export const NumberBlockDto = z.object({
  id: z.string(),
  /** The agent's device id in the sync protocol (its pushes must carry it). */
  agentId: z.string(),
  epoch: z.string(),
  serviceId: z.string(),
  prefix: z.string(),
  businessDay: z.string(),
  from: z.number().int(),
  to: z.number().int(),
  /** The branch's time zone, so the agent knows when the business day ends. */
  timeZone: z.string(),
  /** The hub's wall clock (ms), so the agent can measure its clock offset. */
  receiverTime: z.number().int(),
});
export type NumberBlockDto = z.infer<typeof NumberBlockDto>;
