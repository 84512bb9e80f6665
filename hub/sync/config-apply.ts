// Applying the central server's configuration to the hub: services, counters and their work
// profiles, devices and branch settings, all in ONE transaction with one event, so a screen never
// sees half a configuration and a crash leaves the old one whole (docs/sync.md, "Pull").
//
// What "apply" means where the hub holds history the configuration does not describe:
// - A service or counter missing from the configuration is deleted when nothing refers to it;
//   otherwise it stays (tickets keep their history), a service closed, a counter closed with an
//   empty work profile.
// - Devices travel without tokens: a device new to the hub is created without one (an admin
//   reissues its token here); a device only the hub knows is left alone; revocations apply.
import type { BranchConfig } from '../../core/sync/config';
import type { Db } from '../db/open-database';
import { runCommand, type HubContext } from '../hub-context';

/** The event type carrying an applied configuration: one the server already records. */
export const CONFIG_APPLIED_EVENT = 'branch.updated';

/** Free single characters a service's prefix can hold while prefixes are being swapped around. */
const PARKING = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function applyConfig(ctx: HubContext, config: BranchConfig, actorDeviceId: string): void {
  runCommand(ctx, () => {
    const { db } = ctx;
    // Order matters for the foreign keys: what is referenced exists before what refers to it, and
    // what is retired goes only once nothing in the new configuration refers to it.
    const oldServices = upsertServices(db, config);
    const oldCounters = upsertCounters(db, config);
    applyDevices(db, config);
    retireCounters(db, config, oldCounters);
    retireServices(db, config, oldServices);
    applySettings(db, config);
    ctx.outbox.append(
      {
        type: CONFIG_APPLIED_EVENT,
        ticketId: null,
        actorDeviceId,
        // `patch` keeps the shape of a local branch.updated; the rest says where it came from.
        payload: {
          source: 'central',
          configVersion: config.version,
          patch: config.settings,
          services: config.services.length,
          counters: config.counters.length,
        },
      },
      ctx.clock.now(),
    );
  });
}

/** Writes every service of the configuration; returns the ids the hub had before. */
function upsertServices(db: Db, config: BranchConfig): string[] {
  const existing = db.prepare('SELECT id FROM services').pluck().all() as string[];
  // Park every prefix first: A and B may swap, and UNIQUE(prefix) holds after every statement.
  const park = db.prepare('UPDATE services SET prefix = ? WHERE id = ?');
  existing.forEach((id, i) => park.run(PARKING[i % PARKING.length], id));
  const upsert = db.prepare(
    `INSERT INTO services (id, prefix, names, open, position) VALUES (@id, @prefix, @names, @open, @position)
     ON CONFLICT (id) DO UPDATE SET prefix = excluded.prefix, names = excluded.names,
       open = excluded.open, position = excluded.position`,
  );
  for (const s of config.services)
    upsert.run({
      id: s.id,
      prefix: s.prefix,
      names: JSON.stringify(s.name),
      open: s.open ? 1 : 0,
      position: s.position,
    });
  return existing;
}

function retireServices(db: Db, config: BranchConfig, existing: readonly string[]): void {
  const wanted = new Set(config.services.map((s) => s.id));
  const referenced = db.prepare<[string, string, string, string], { n: number }>(
    `SELECT (SELECT COUNT(*) FROM tickets WHERE service_id = ? OR issued_service_id = ?)
          + (SELECT COUNT(*) FROM appointments WHERE service_id = ?)
          + (SELECT COUNT(*) FROM counter_services WHERE service_id = ?) AS n`,
  );
  const takenPrefixes = new Set(config.services.map((s) => s.prefix));
  for (const id of existing) {
    if (wanted.has(id)) continue;
    if ((referenced.get(id, id, id, id)?.n ?? 0) === 0) {
      db.prepare('DELETE FROM services WHERE id = ?').run(id);
      continue;
    }
    // Kept for its tickets, closed; it gets a free capital letter back when one is left.
    const free = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'].find((p) => !takenPrefixes.has(p));
    if (free) takenPrefixes.add(free);
    db.prepare('UPDATE services SET open = 0, prefix = COALESCE(?, prefix) WHERE id = ?').run(
      free ?? null,
      id,
    );
  }
}

/** Writes every counter and its work profile; returns the ids the hub had before. */
function upsertCounters(db: Db, config: BranchConfig): string[] {
  const existing = db.prepare('SELECT id FROM counters').pluck().all() as string[];
  const upsert = db.prepare(
    `INSERT INTO counters (id, name, position) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, position = excluded.position`,
  );
  const clearProfile = db.prepare('DELETE FROM counter_services WHERE counter_id = ?');
  const addProfile = db.prepare(
    'INSERT INTO counter_services (counter_id, service_id, weight) VALUES (?, ?, ?)',
  );
  config.counters.forEach((c, position) => {
    upsert.run(c.id, c.name, position);
    clearProfile.run(c.id);
    for (const e of c.profile) addProfile.run(c.id, e.serviceId, e.weight);
  });
  return existing;
}

function retireCounters(db: Db, config: BranchConfig, existing: readonly string[]): void {
  const clearProfile = db.prepare('DELETE FROM counter_services WHERE counter_id = ?');
  const wanted = new Set(config.counters.map((c) => c.id));
  const referenced = db.prepare<[string, string], { n: number }>(
    `SELECT (SELECT COUNT(*) FROM tickets WHERE counter_id = ?)
          + (SELECT COUNT(*) FROM devices WHERE counter_id = ?) AS n`,
  );
  for (const id of existing) {
    if (wanted.has(id)) continue;
    clearProfile.run(id);
    if ((referenced.get(id, id)?.n ?? 0) === 0)
      db.prepare('DELETE FROM counters WHERE id = ?').run(id);
    else db.prepare("UPDATE counters SET status = 'closed' WHERE id = ?").run(id);
  }
}

function applyDevices(db: Db, config: BranchConfig): void {
  const upsert = db.prepare(
    `INSERT INTO devices (id, name, role, counter_id, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, role = excluded.role,
       counter_id = excluded.counter_id,
       revoked_at = COALESCE(devices.revoked_at, excluded.revoked_at)`,
  );
  const revokeTokens = db.prepare(
    'UPDATE device_tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL',
  );
  for (const d of config.devices) {
    const revokedAt = d.revokedAt === null ? null : Date.parse(d.revokedAt);
    upsert.run(d.id, d.name, d.role, d.counterId, Date.parse(d.createdAt), revokedAt);
    if (revokedAt !== null) revokeTokens.run(revokedAt, d.id);
  }
}

function applySettings(db: Db, config: BranchConfig): void {
  const s = config.settings;
  db.prepare(
    `UPDATE branch SET name = @name, time_zone = @timeZone, default_lang = @defaultLang,
       languages = @languages, capacity = @capacity, priority_enabled = @priorityEnabled,
       inactivity_timeout_sec = @inactivityTimeoutSec, announcement_templates = @templates,
       priority_cap = @priorityCap, aging_threshold_sec = @agingThresholdSec, max_recalls = @maxRecalls`,
  ).run({
    name: s.name,
    timeZone: s.timeZone,
    defaultLang: s.defaultLang,
    languages: JSON.stringify(s.languages),
    capacity: s.capacity,
    priorityEnabled: s.priorityEnabled ? 1 : 0,
    inactivityTimeoutSec: s.inactivityTimeoutSec,
    templates: JSON.stringify(s.announcementTemplates),
    priorityCap: s.priorityCap,
    agingThresholdSec: s.agingThresholdSec,
    maxRecalls: s.maxRecalls,
  });
}
