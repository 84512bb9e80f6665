// The event outbox. Each state change appends its event in the same transaction as the change, so
// the log and the state can never disagree; events become visible to listeners only after commit.
import { v7 as uuidv7 } from 'uuid';
import {
  compareHlc,
  createHlc,
  decodeHlc,
  encodeHlc,
  receiveHlc,
  tickHlc,
  type Hlc,
} from '../../core/sync/hlc';
import type { Db } from '../db/open-database';
import type { HubEventType } from '../../core/sync/event-types';
import { withChanges } from '../../core/records';

/** meta key of the latest remote HLC stamp merged into this hub's clock (survives a restart). */
export const RECEIVED_HLC_KEY = 'hlc_received';

export interface NewEvent {
  /** Only types the central server knows (core/sync/event-types.ts). */
  type: HubEventType;
  ticketId: string | null;
  actorDeviceId: string | null;
  payload: Record<string, unknown>;
}

export interface StoredEvent extends Omit<NewEvent, 'type'> {
  /** A string when read back: logs written by other versions may hold other types. */
  type: string;
  seq: number;
  eventId: string;
  deviceId: string;
  deviceSeq: number;
  at: number;
  /** Hybrid logical clock stamp (core/sync/hlc.ts), strictly increasing along this device's log. */
  hlc: string;
}

interface EventRow {
  seq: number;
  event_id: string;
  device_id: string;
  device_seq: number;
  at: number;
  type: string;
  ticket_id: string | null;
  actor_device_id: string | null;
  payload: string;
  hlc: string | null;
}

export class Outbox {
  private readonly insert;
  private readonly lastDeviceSeq;
  private readonly lastSeqStmt;
  private readonly sinceStmt;
  private readonly ownAfterStmt;
  private readonly receivedStmt;
  private pending: StoredEvent[] = [];
  /** The HLC as this process last saw it; merged with the log's last stamp on every append. */
  private clock: Hlc;

  constructor(
    private readonly db: Db,
    /** This hub's own device id: the log written here is this device's log. */
    readonly deviceId: string,
  ) {
    this.insert = db.prepare<
      [string, string, number, number, string, string | null, string | null, string, string]
    >(
      `INSERT INTO events (event_id, device_id, device_seq, at, type, ticket_id, actor_device_id, payload, hlc)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // The last row of this device's log, by the (device_id, device_seq) index: its seq and stamp.
    // Read inside the append's transaction, so another process appending to the same database
    // (`guichet device add` while the hub runs) never makes a seq or a stamp go backwards.
    this.lastDeviceSeq = db.prepare<[string], { s: number; hlc: string | null }>(
      'SELECT device_seq AS s, hlc FROM events WHERE device_id = ? ORDER BY device_seq DESC LIMIT 1',
    );
    this.ownAfterStmt = db.prepare<[string, number, number], EventRow>(
      'SELECT * FROM events WHERE device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?',
    );
    this.receivedStmt = db.prepare<[], { value: string }>(
      `SELECT value FROM meta WHERE key = '${RECEIVED_HLC_KEY}'`,
    );
    this.clock = createHlc(deviceId);
    const received = this.receivedStmt.get();
    if (received) this.mergeClock(received.value);
    this.lastSeqStmt = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM events');
    this.sinceStmt = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /** Appends an event; the caller must be inside a write transaction. */
  append(event: NewEvent, at: number): StoredEvent {
    if (!this.db.inTransaction)
      throw new Error('Outbox.append must run inside a write transaction');
    const last = this.lastDeviceSeq.get(this.deviceId);
    const deviceSeq = (last?.s ?? 0) + 1;
    if (last?.hlc) this.mergeClock(last.hlc);
    this.clock = tickHlc(this.clock, at);
    const hlc = encodeHlc(this.clock);
    const eventId = uuidv7({ msecs: at });
    const info = this.insert.run(
      eventId,
      this.deviceId,
      deviceSeq,
      at,
      event.type,
      event.ticketId,
      event.actorDeviceId,
      JSON.stringify(event.payload),
      hlc,
    );
    const stored: StoredEvent = {
      type: event.type,
      ticketId: event.ticketId,
      actorDeviceId: event.actorDeviceId,
      payload: event.payload,
      seq: Number(info.lastInsertRowid),
      eventId,
      deviceId: this.deviceId,
      deviceSeq,
      at,
      hlc,
    };
    this.pending.push(stored);
    return stored;
  }

  /** Hands over the events appended since the last call (after a commit) or drops them (after a rollback). */
  takePending(): StoredEvent[] {
    const taken = this.pending;
    this.pending = [];
    return taken;
  }

  lastSeq(): number {
    return this.lastSeqStmt.get()?.s ?? 0;
  }

  since(seq: number, limit: number): StoredEvent[] {
    return this.sinceStmt.all(seq, limit).map(toStoredEvent);
  }

  /** This device's own events after `deviceSeq`, in log order: what a push sends upstream. */
  ownAfter(deviceSeq: number, limit: number): StoredEvent[] {
    return this.ownAfterStmt.all(this.deviceId, deviceSeq, limit).map(toStoredEvent);
  }

  /** The last deviceSeq of this device's log (0 when empty). */
  lastOwnSeq(): number {
    return this.lastDeviceSeq.get(this.deviceId)?.s ?? 0;
  }

  /**
   * Merges a stamp received from another device (a pulled event) into this hub's clock, so what
   * the hub does next is stamped after it. Returns the stamp to persist under RECEIVED_HLC_KEY and
   * whether it was clamped (too far ahead: the caller logs it), or null for a malformed stamp.
   */
  observeRemote(stamp: string, now: number): { clamped: boolean; stamp: string } | null {
    const remote = decodeHlc(stamp);
    if (!remote) return null;
    const received = receiveHlc(this.clock, remote, now);
    this.clock = received.clock;
    return { clamped: received.clamped, stamp: encodeHlc(received.clock) };
  }

  private mergeClock(stamp: string): void {
    const seen = decodeHlc(stamp);
    if (seen && compareHlc(seen, this.clock) > 0)
      this.clock = withChanges(seen, { node: this.deviceId });
  }
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    deviceId: row.device_id,
    deviceSeq: row.device_seq,
    at: row.at,
    type: row.type,
    ticketId: row.ticket_id,
    actorDeviceId: row.actor_device_id,
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    hlc: row.hlc ?? '',
  };
}
