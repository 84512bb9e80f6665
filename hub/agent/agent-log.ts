// The agent's own event log (docs/sync.md): appended in the transaction of the change it records,
// gapless deviceSeq, an HLC stamp per event; pushed to the hub by the hub's own pushLog through
// the PushSource / AckStore seams.
import { v7 as uuidv7 } from 'uuid';
import { createHlc, decodeHlc, encodeHlc, tickHlc } from '../../core/sync/hlc';
import type { SyncEvent } from '../../core/sync/protocol';
import type { Db } from '../db/open-database';
import type { AckStore, PushSource } from '../sync/push-loop';
import type { AgentMeta } from './agent-meta';

interface EventRow {
  device_seq: number;
  event_id: string;
  hlc: string;
  type: string;
  payload: string;
}

export class AgentLog {
  private readonly last;
  private readonly insert;
  private readonly after;

  constructor(
    private readonly db: Db,
    private readonly meta: AgentMeta,
  ) {
    this.last = db.prepare<[], { device_seq: number; hlc: string }>(
      'SELECT device_seq, hlc FROM events ORDER BY device_seq DESC LIMIT 1',
    );
    this.insert = db.prepare<[number, string, string, string, string]>(
      'INSERT INTO events (device_seq, event_id, hlc, type, payload) VALUES (?, ?, ?, ?, ?)',
    );
    this.after = db.prepare<[number, number], EventRow>(
      'SELECT * FROM events WHERE device_seq > ? ORDER BY device_seq LIMIT ?',
    );
  }

  /** Appends an event; the caller holds the write transaction of the change it records. */
  append(node: string, type: string, payload: Record<string, unknown>, at: number): void {
    if (!this.db.inTransaction) throw new Error('AgentLog.append must run inside a transaction');
    const last = this.last.get();
    // The stamp continues the log's last one, so a restart or a clock step back keeps it growing.
    const previous = (last && decodeHlc(last.hlc)) || createHlc(node);
    const hlc = encodeHlc(tickHlc({ ...previous, node }, at));
    this.insert.run(
      (last?.device_seq ?? 0) + 1,
      uuidv7({ msecs: at }),
      hlc,
      type,
      JSON.stringify(payload),
    );
  }

  lastSeq(): number {
    return this.last.get()?.device_seq ?? 0;
  }

  /** The log as the push loop reads it, once the hub has named this agent. */
  pushSource(agentId: string): PushSource {
    return {
      deviceId: agentId,
      epoch: this.meta.epoch(),
      lastSeq: () => this.lastSeq(),
      eventsAfter: (seq, limit): SyncEvent[] =>
        this.after.all(seq, limit).map((row) => ({
          eventId: row.event_id,
          deviceSeq: row.device_seq,
          hlc: row.hlc,
          type: row.type,
          payload: JSON.parse(row.payload) as Record<string, unknown>,
        })),
    };
  }

  /** One database per epoch: the ack and the clock offset live in meta, written together. */
  ackStore(): AckStore {
    return {
      ackedSeq: () => this.meta.ackedSeq(),
      saveAck: (_deviceId, _epoch, ackedSeq, clockOffsetMs) =>
        this.db.transaction(() => {
          this.meta.setAckedSeq(ackedSeq);
          this.meta.setClockOffsetMs(clockOffsetMs);
        })(),
    };
  }
}
