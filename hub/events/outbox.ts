// The event outbox. Each state change appends its event in the same transaction as the change, so
// the log and the state can never disagree; events become visible to listeners only after commit.
import { v7 as uuidv7 } from 'uuid';
import type { Db } from '../db/open-database';

export interface NewEvent {
  type: string;
  ticketId: string | null;
  actorDeviceId: string | null;
  payload: Record<string, unknown>;
}

export interface StoredEvent extends NewEvent {
  seq: number;
  eventId: string;
  deviceId: string;
  deviceSeq: number;
  at: number;
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
}

export class Outbox {
  private readonly insert;
  private readonly lastDeviceSeq;
  private readonly lastSeqStmt;
  private readonly sinceStmt;
  private pending: StoredEvent[] = [];

  constructor(
    private readonly db: Db,
    /** This hub's own device id: the log written here is this device's log. */
    readonly deviceId: string,
  ) {
    this.insert = db.prepare<
      [string, string, number, number, string, string | null, string | null, string]
    >(
      `INSERT INTO events (event_id, device_id, device_seq, at, type, ticket_id, actor_device_id, payload)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.lastDeviceSeq = db.prepare<[string], { s: number | null }>(
      'SELECT MAX(device_seq) AS s FROM events WHERE device_id = ?',
    );
    this.lastSeqStmt = db.prepare<[], { s: number | null }>('SELECT MAX(seq) AS s FROM events');
    this.sinceStmt = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /** Appends an event; the caller must be inside a write transaction. */
  append(event: NewEvent, at: number): StoredEvent {
    if (!this.db.inTransaction)
      throw new Error('Outbox.append must run inside a write transaction');
    const deviceSeq = (this.lastDeviceSeq.get(this.deviceId)?.s ?? 0) + 1;
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
    );
    const stored: StoredEvent = {
      ...event,
      seq: Number(info.lastInsertRowid),
      eventId,
      deviceId: this.deviceId,
      deviceSeq,
      at,
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
    return this.sinceStmt.all(seq, limit).map((row) => ({
      seq: row.seq,
      eventId: row.event_id,
      deviceId: row.device_id,
      deviceSeq: row.device_seq,
      at: row.at,
      type: row.type,
      ticketId: row.ticket_id,
      actorDeviceId: row.actor_device_id,
      payload: JSON.parse(row.payload) as Record<string, unknown>,
    }));
  }
}
