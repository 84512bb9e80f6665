// Counters and their work profiles (which services each serves, with what weight).
import { randomBytes } from 'node:crypto';
import type { Counter, CounterStatus, WorkProfileEntry } from '../../../core/model';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError, notFound } from '../../hub-error';
import type { Actor } from '../actor';
import { withChanges } from '../../../core/records';

interface CounterRow {
  id: string;
  name: string;
  status: CounterStatus;
  position: number;
  priority_streak: number;
}

export interface NewCounter {
  id?: string;
  name: string;
  profile: WorkProfileEntry[];
}

export type CounterPatch = Partial<Pick<Counter, 'name' | 'profile'>>;

export class CounterStore {
  private readonly all;
  private readonly one;
  private readonly profileOf;
  private readonly allProfiles;
  private readonly insert;
  private readonly rename;
  private readonly clearProfile;
  private readonly addProfile;
  private readonly setStatusStmt;
  private readonly setStreak;
  private readonly serviceExists;
  private readonly counterTimeFor;

  constructor(private readonly ctx: HubContext) {
    const { db } = ctx;
    this.all = db.prepare<[], CounterRow>('SELECT * FROM counters ORDER BY position, name');
    this.one = db.prepare<[string], CounterRow>('SELECT * FROM counters WHERE id = ?');
    this.profileOf = db.prepare<[string], { serviceId: string; weight: number }>(
      'SELECT service_id AS serviceId, weight FROM counter_services WHERE counter_id = ? ORDER BY service_id',
    );
    this.allProfiles = db.prepare<[], { counterId: string; serviceId: string; weight: number }>(
      'SELECT counter_id AS counterId, service_id AS serviceId, weight FROM counter_services ORDER BY service_id',
    );
    this.insert = db.prepare('INSERT INTO counters (id, name, position) VALUES (?, ?, ?)');
    this.rename = db.prepare('UPDATE counters SET name = ? WHERE id = ?');
    this.clearProfile = db.prepare('DELETE FROM counter_services WHERE counter_id = ?');
    this.addProfile = db.prepare(
      'INSERT INTO counter_services (counter_id, service_id, weight) VALUES (?, ?, ?)',
    );
    this.setStatusStmt = db.prepare('UPDATE counters SET status = ? WHERE id = ?');
    this.setStreak = db.prepare('UPDATE counters SET priority_streak = ? WHERE id = ?');
    this.serviceExists = db.prepare<[string], { id: string }>(
      'SELECT id FROM services WHERE id = ?',
    );
    // core/wait-estimate.ts's effectiveCounters(service, list()), summed by SQLite: every issue
    // asks it, and building every counter with its profile to add up a few fractions was 7 % of
    // an issue's time (docs/benchmarks.md, "Tenth run"). Each open counter gives the service its
    // weight there over the sum of its weights; the schema keeps weights positive integers, the
    // rule's "not served" case. counter-store.test.ts holds the two to the same answers.
    this.counterTimeFor = db
      .prepare<{ service: string }, number>(
        `SELECT TOTAL(CAST(mine AS REAL) / whole) FROM (
           SELECT SUM(cs.weight) AS whole, SUM(cs.weight) FILTER (WHERE cs.service_id = @service) AS mine
           FROM counters c JOIN counter_services cs ON cs.counter_id = c.id
           WHERE c.status = 'open' GROUP BY c.id)
         WHERE mine > 0`,
      )
      .pluck();
  }

  /** How many counters' worth of time a service gets now (effectiveCounters, by SQLite). */
  counterTime(serviceId: string): number {
    return this.counterTimeFor.get({ service: serviceId }) ?? 0;
  }

  list(): Counter[] {
    const profiles = new Map<string, WorkProfileEntry[]>();
    for (const p of this.allProfiles.all()) {
      const list = profiles.get(p.counterId) ?? [];
      list.push({ serviceId: p.serviceId, weight: p.weight });
      profiles.set(p.counterId, list);
    }
    return this.all.all().map((r) => ({
      id: r.id,
      name: r.name,
      status: r.status,
      profile: profiles.get(r.id) ?? [],
    }));
  }

  find(id: string): Counter | undefined {
    const row = this.one.get(id);
    return row
      ? { id: row.id, name: row.name, status: row.status, profile: this.profileOf.all(id) }
      : undefined;
  }

  get(id: string): Counter {
    const counter = this.find(id);
    if (!counter) throw notFound('counter', id);
    return counter;
  }

  priorityStreak(id: string): number {
    return this.one.get(id)?.priority_streak ?? 0;
  }

  /** Called by the ticket store inside its call transaction. */
  savePriorityStreak(id: string, streak: number): void {
    this.setStreak.run(streak, id);
  }

  create(input: NewCounter, actor: Actor): Counter {
    return runCommand(this.ctx, () => {
      const id = input.id ?? `counter-${randomBytes(3).toString('hex')}`;
      if (this.one.get(id))
        throw new HubError(409, 'counter_exists', `A counter with id "${id}" exists already.`);
      this.insert.run(id, input.name, this.all.all().length);
      this.writeProfile(id, input.profile);
      const counter = this.get(id);
      this.ctx.outbox.append(
        {
          type: 'counter.created',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { counter },
        },
        this.ctx.clock.now(),
      );
      return counter;
    });
  }

  patch(id: string, patch: CounterPatch, actor: Actor): Counter {
    return runCommand(this.ctx, () => {
      this.get(id);
      if (patch.name !== undefined) this.rename.run(patch.name, id);
      if (patch.profile !== undefined) this.writeProfile(id, patch.profile);
      const counter = this.get(id);
      this.ctx.outbox.append(
        {
          type: 'counter.updated',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { counter },
        },
        this.ctx.clock.now(),
      );
      return counter;
    });
  }

  setStatus(id: string, status: CounterStatus, actor: Actor): Counter {
    assertActsForCounter(actor, id);
    return runCommand(this.ctx, () => {
      const before = this.get(id);
      if (before.status === status) return before;
      this.setStatusStmt.run(status, id);
      const counter = withChanges(before, { status });
      const type = status === 'open' ? 'counter.resumed' : 'counter.paused';
      this.ctx.outbox.append(
        { type, ticketId: null, actorDeviceId: actor.deviceId, payload: { counter } },
        this.ctx.clock.now(),
      );
      return counter;
    });
  }

  private writeProfile(id: string, profile: WorkProfileEntry[]): void {
    const seen = new Set<string>();
    for (const entry of profile) {
      if (seen.has(entry.serviceId)) {
        throw new HubError(
          422,
          'invalid_profile',
          `Service "${entry.serviceId}" appears twice in the work profile.`,
        );
      }
      seen.add(entry.serviceId);
      if (!this.serviceExists.get(entry.serviceId)) {
        throw new HubError(
          422,
          'invalid_profile',
          `The work profile names an unknown service "${entry.serviceId}".`,
        );
      }
    }
    this.clearProfile.run(id);
    for (const entry of profile) this.addProfile.run(id, entry.serviceId, entry.weight);
  }
}

/** A counter device acts for its own counter only; an admin acts for any. */
export function assertActsForCounter(actor: Actor, counterId: string): void {
  if (actor.role === 'admin') return;
  if (actor.role === 'counter' && actor.counterId === counterId) return;
  throw new HubError(403, 'forbidden', `This device may not act for counter "${counterId}".`);
}
