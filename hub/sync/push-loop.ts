// Pushing a device's log upstream (docs/sync.md, "Push"): from the last acknowledged deviceSeq,
// in batches of at most 500 events or 256 KB, until the upstream holds all of it. The receiver's
// `ackSeq` is the truth: after a gap (or a receiver restored from a backup) we resend from
// ackSeq + 1; a batch repeated after a lost answer is harmless by the protocol's design.
// Nothing here is hub-specific: a kiosk agent pushing to its hub gives its own PushSource.
import {
  MAX_PUSH_BYTES,
  MAX_PUSH_EVENTS,
  PushAnswer,
  type PushResult,
  type SyncEvent,
} from '../../core/sync/protocol';
import type { UpstreamHttp } from './sync-http';

/** A log to push: whose it is, and its events after a position, in deviceSeq order. */
export interface PushSource {
  deviceId: string;
  epoch: string;
  eventsAfter(deviceSeq: number, limit: number): SyncEvent[];
  lastSeq(): number;
}

/** Where the acknowledged position is kept (the sender's database, per link and epoch). */
export interface AckStore {
  ackedSeq(deviceId: string, epoch: string): number;
  /** Saves the position and what the answer taught (clock offset) in one write. */
  saveAck(deviceId: string, epoch: string, ackedSeq: number, clockOffsetMs: number): void;
}

export interface PushOutcome {
  /** Events the receiver newly applied or stored as rejected in this run. */
  accepted: number;
  rejected: PushResult[];
  ackSeq: number;
}

/** The upstream acknowledges more than our log holds: our log is not the one it knows. */
export class AckBeyondLog extends Error {
  override name = 'AckBeyondLog';
}

/** The upstream keeps answering without moving its acknowledgement: stop instead of spinning. */
export class PushStalled extends Error {
  override name = 'PushStalled';
}

/** Room kept for `{"deviceId":…,"epoch":…,"events":[…]}` around the events. */
const ENVELOPE_BYTES = 256;
const MAX_ROUNDS_WITHOUT_PROGRESS = 3;

/** Pushes until the upstream has acknowledged the whole log (or throws on a failure). */
export async function pushLog(
  http: UpstreamHttp,
  source: PushSource,
  acks: AckStore,
  now: () => number,
): Promise<PushOutcome> {
  const outcome: PushOutcome = { accepted: 0, rejected: [], ackSeq: 0 };
  let stalled = 0;
  for (;;) {
    const acked = acks.ackedSeq(source.deviceId, source.epoch);
    outcome.ackSeq = acked;
    const batch = nextBatch(source, acked);
    if (batch.events.length === 0) return outcome;
    const sentAt = now();
    const answer = await http.request('POST', '/api/v1/sync/push', PushAnswer, batch.body);
    const answeredAt = now();
    if (answer.ackSeq > source.lastSeq())
      throw new AckBeyondLog(
        `upstream acknowledges seq ${answer.ackSeq} of epoch ${source.epoch}, our log ends at ${source.lastSeq()}`,
      );
    // Midpoint of the round trip: the receiver's clock read while our request was in flight.
    const offset = answer.receiverTime - (sentAt + answeredAt) / 2;
    acks.saveAck(source.deviceId, source.epoch, answer.ackSeq, offset);
    outcome.ackSeq = answer.ackSeq;
    for (const result of answer.results) {
      if (result.status === 'applied') outcome.accepted += 1;
      if (result.status === 'rejected') outcome.rejected.push(result);
    }
    if (answer.ackSeq > acked) stalled = 0;
    else if (++stalled >= MAX_ROUNDS_WITHOUT_PROGRESS)
      throw new PushStalled(`upstream acknowledgement stays at ${answer.ackSeq}`);
  }
}

/** The events after `acked`, at most 500 of them and 256 KB of JSON, serialised once. */
export function nextBatch(
  source: PushSource,
  acked: number,
): { events: SyncEvent[]; body: string } {
  const candidates = source.eventsAfter(acked, MAX_PUSH_EVENTS);
  const head = `{"deviceId":${JSON.stringify(source.deviceId)},"epoch":${JSON.stringify(source.epoch)},"events":[`;
  const events: SyncEvent[] = [];
  const parts: string[] = [];
  let bytes = Buffer.byteLength(head) + ENVELOPE_BYTES;
  for (const event of candidates) {
    const json = JSON.stringify(event);
    const size = Buffer.byteLength(json) + 1;
    // Always send at least one event, so one large event cannot block the log.
    if (events.length > 0 && bytes + size > MAX_PUSH_BYTES) break;
    events.push(event);
    parts.push(json);
    bytes += size;
  }
  return { events, body: `${head}${parts.join(',')}]}` };
}
