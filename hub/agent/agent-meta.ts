// What the agent remembers between runs besides blocks and tickets: its epoch, the log name the hub
// gave it, the hub's clock offset, the branch time zone, the last services seen, the push ack.
import { z } from 'zod';
import { ServiceDto } from '../../core/api/schemas';
import type { Db } from '../db/open-database';

const CachedServices = z.array(ServiceDto);

export class AgentMeta {
  private readonly read;
  private readonly write;

  constructor(db: Db) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.write = db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
  }

  private get(key: string): string | null {
    return this.read.get(key)?.value ?? null;
  }

  private set(key: string, value: string): void {
    this.write.run(key, value);
  }

  /** Made by the schema, once per database. */
  epoch(): string {
    const epoch = this.get('epoch');
    if (!epoch) throw new Error('agent database has no epoch');
    return epoch;
  }

  /** The log name the hub knows this agent by (learned with the first block). */
  agentId(): string | null {
    return this.get('agent_id');
  }

  setAgentId(id: string): void {
    this.set('agent_id', id);
  }

  /** Hub clock minus ours (ms), last measured; 0 before any measurement. */
  clockOffsetMs(): number {
    return Number(this.get('clock_offset_ms') ?? 0);
  }

  setClockOffsetMs(offset: number): void {
    this.set('clock_offset_ms', String(Math.round(offset)));
  }

  timeZone(): string | null {
    return this.get('time_zone');
  }

  setTimeZone(tz: string): void {
    this.set('time_zone', tz);
  }

  services(): ServiceDto[] | null {
    const raw = this.get('services');
    if (raw === null) return null;
    const parsed = CachedServices.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  setServices(services: ServiceDto[]): void {
    this.set('services', JSON.stringify(services));
  }

  ackedSeq(): number {
    return Number(this.get('acked_seq') ?? 0);
  }

  setAckedSeq(seq: number): void {
    this.set('acked_seq', String(seq));
  }
}
