// What the agent remembers between runs besides blocks and tickets: its epoch, the log name the hub
// gave it, the hub's clock offset, the branch time zone, the push ack, and the last answers the
// kiosk screen needs to keep showing while the hub is unreachable (services, branch, me, counters,
// queue), each checked with its zod schema when read back.
import { z } from 'zod';
import { BranchDto, CounterDto, MeDto, QueueDto, ServiceDto } from '../../core/api/schemas';
import type { Db } from '../db/open-database';

const CachedServices = z.array(ServiceDto);
const CachedCounters = z.array(CounterDto);

export class AgentMeta {
  private readonly read;
  private readonly write;
  /** The last answers stored, so an unchanged one costs no write (and no fsync). */
  private readonly written = new Map<string, string>();

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

  private cached<S extends z.ZodType>(key: string, schema: S): z.infer<S> | null {
    const raw = this.get(key);
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = schema.safeParse(json);
    return parsed.success ? parsed.data : null;
  }

  private cache(key: string, value: unknown): void {
    const text = JSON.stringify(value);
    if (this.written.get(key) === text) return;
    this.set(key, text);
    this.written.set(key, text);
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
    return this.cached('services', CachedServices);
  }

  setServices(services: ServiceDto[]): void {
    this.cache('services', services);
  }

  /** The branch as the hub last answered GET /branch. */
  branch(): BranchDto | null {
    return this.cached('branch', BranchDto);
  }

  setBranch(branch: BranchDto): void {
    this.cache('branch', branch);
  }

  /** The kiosk device this agent's token is (GET /me). */
  me(): MeDto | null {
    return this.cached('me', MeDto);
  }

  setMe(me: MeDto): void {
    this.cache('me', me);
  }

  counters(): CounterDto[] | null {
    return this.cached('counters', CachedCounters);
  }

  setCounters(counters: CounterDto[]): void {
    this.cache('counters', counters);
  }

  /** The last queue snapshot: what the kiosk shows offline (with the seq it includes). */
  queue(): QueueDto | null {
    return this.cached('queue', QueueDto);
  }

  setQueue(queue: QueueDto): void {
    this.cache('queue', queue);
  }

  /** Base of follow-up URLs as the hub makes them (its --public-url), learned from its answers. */
  followUpBase(): string | null {
    return this.get('follow_up_base');
  }

  setFollowUpBase(base: string): void {
    if (this.written.get('follow_up_base') === base) return;
    this.set('follow_up_base', base);
    this.written.set('follow_up_base', base);
  }

  ackedSeq(): number {
    return Number(this.get('acked_seq') ?? 0);
  }

  setAckedSeq(seq: number): void {
    this.set('acked_seq', String(seq));
  }
}
