// The sync protocol's wire shapes (docs/sync.md), shared by every sender and receiver: kiosk agent
// → hub and hub → central server use the same push, pull and poke.
import { z } from 'zod';
import { BranchConfig, BranchConfigInput } from './config';
import { HLC_PATTERN } from './hlc';

/** A push holds at most this many events… */
export const MAX_PUSH_EVENTS = 500;
/** …and its JSON body at most this many bytes, whichever limit comes first. */
export const MAX_PUSH_BYTES = 256 * 1024;
/** A pull answers at most this many events; `hasMore` says whether to pull again at once. */
export const MAX_PULL_EVENTS = 500;

const SafeId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, "-" and "_" (1–64)');
/** `hub-…`, `agent-…`: whoever writes a log of its own. */
export const DeviceId = SafeId;
/** A random id a device picks when its log starts (again, after losing its disk). */
export const Epoch = SafeId;
/** Lower-case UUIDv7, as `uuid`'s v7() writes it. */
export const EventId = z
  .string()
  .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUIDv7');
export const HlcStamp = z.string().regex(HLC_PATTERN, 'an HLC stamp wall.counter.node');
export const EventType = z
  .string()
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/, 'a dotted event type such as ticket.issued');
export const DeviceSeq = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const SyncEvent = z
  .object({
    eventId: EventId,
    deviceSeq: DeviceSeq,
    hlc: HlcStamp,
    type: EventType,
    payload: z.record(z.string(), z.unknown()),
  })
  .strict();
export type SyncEvent = z.infer<typeof SyncEvent>;

export const PushBody = z
  .object({
    deviceId: DeviceId,
    epoch: Epoch,
    events: z.array(SyncEvent).max(MAX_PUSH_EVENTS),
  })
  .strict()
  .superRefine((body, ctx) => {
    // A batch naming one position or one event twice is malformed, not a duplicate to skip.
    const seqs = new Set<number>();
    const ids = new Set<string>();
    body.events.forEach((e, i) => {
      if (seqs.has(e.deviceSeq))
        ctx.addIssue({ code: 'custom', message: 'deviceSeq repeated', path: ['events', i] });
      if (ids.has(e.eventId))
        ctx.addIssue({ code: 'custom', message: 'eventId repeated', path: ['events', i] });
      seqs.add(e.deviceSeq);
      ids.add(e.eventId);
    });
  });
export type PushBody = z.infer<typeof PushBody>;

export const PUSH_STATUSES = ['applied', 'duplicate', 'rejected'] as const;
export type PushStatus = (typeof PUSH_STATUSES)[number];

export const PushResult = z.object({
  eventId: z.string(),
  status: z.enum(PUSH_STATUSES),
  reason: z.string().optional(),
});
export type PushResult = z.infer<typeof PushResult>;

export const PushAnswer = z.object({
  /** The highest deviceSeq the receiver holds for (deviceId, epoch): resend from ackSeq + 1. */
  ackSeq: z.number().int().min(0),
  /** One per event handled, in deviceSeq order; events at or after a gap have none. */
  results: z.array(PushResult),
  /** The receiver's wall clock (ms), so the sender can measure its clock offset. */
  receiverTime: z.number().int(),
});
export type PushAnswer = z.infer<typeof PushAnswer>;

/** Opaque to the puller: store it and send it back. Empty or absent means "from the start". */
export const Cursor = z
  .string()
  .max(64)
  .regex(/^[A-Za-z0-9._-]*$/, 'a cursor from a pull');

export const PullQuery = z
  .object({
    cursor: Cursor.optional(),
    /** The puller's own device id: its own events are left out of the answer. */
    deviceId: DeviceId.optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PULL_EVENTS).optional(),
  })
  .strict();
export type PullQuery = z.infer<typeof PullQuery>;

export const PulledEvent = SyncEvent.extend({ deviceId: DeviceId, epoch: Epoch });
export type PulledEvent = z.infer<typeof PulledEvent>;

export const PullAnswer = z.object({
  cursor: Cursor,
  events: z.array(PulledEvent),
  /** The branch configuration when its version changed since the cursor; null otherwise. */
  config: BranchConfig.nullable(),
  /** More events wait after this answer: pull again right away. */
  hasMore: z.boolean(),
  receiverTime: z.number().int(),
});
export type PullAnswer = z.infer<typeof PullAnswer>;

/** First link of a hub: its configuration becomes the branch's if the branch has none yet. */
export const LinkConfigBody = z.object({ config: BranchConfigInput }).strict();
export type LinkConfigBody = z.infer<typeof LinkConfigBody>;

export const LinkConfigAnswer = z.object({
  /** True when the branch was empty and took this configuration; false when it had its own. */
  adopted: z.boolean(),
  /** The branch's configuration now: apply it when `adopted` is false. */
  config: BranchConfig,
});
export type LinkConfigAnswer = z.infer<typeof LinkConfigAnswer>;

/** The only message on the poke WebSocket: "something changed, pull". */
export const PokeMessage = z.object({ type: z.literal('poke') });
export type PokeMessage = z.infer<typeof PokeMessage>;
