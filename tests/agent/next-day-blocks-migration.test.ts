// Migration 006 (next-day blocks) on real rows, the way hub/db/migrations/migrations.test.ts tests
// every version: a database stepped to version 5, filled as version 5's code fills it (today's and
// tomorrow's blocks, a retired epoch, a received agent ticket), migrated, then checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../hub/db/open-database';
import { migrate, schemaVersion } from '../../hub/db/migrations';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guichet-migrate-006-'));
  db = openDatabase(path.join(dir, 'hub.db'), { migrate: false });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const block = (id: string, epoch: string, day: string, from: number, to: number, service = 's1') =>
  `INSERT INTO number_blocks (id, kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq, granted_at)
   VALUES ('${id}', 'k1', 'agent-k1', '${epoch}', '${service}', '${day}', ${from}, ${to}, 5000)`;

function fillVersion5(db: Db): void {
  db.exec(`
    INSERT INTO branch (id, name, time_zone, default_lang, languages, announcement_templates)
      VALUES ('b1', 'Mairie', 'Europe/Paris', 'fr', '["fr"]', '{"fr":"{number} au guichet {counter}"}');
    INSERT INTO services (id, prefix, names, open, position) VALUES ('s1', 'A', '{"fr":"État civil"}', 1, 0);
    INSERT INTO services (id, prefix, names, open, position) VALUES ('s2', 'B', '{"fr":"Passeports"}', 1, 1);
    INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('k1', 'Kiosk', 'kiosk', NULL, 1);
    ${block('nb-old', 'e-old', '2026-11-23', 1, 50)};
    ${block('nb-old-next', 'e-old', '2026-11-24', 1, 50)};
    UPDATE number_blocks SET retired_at = 6000 WHERE epoch = 'e-old';
    ${block('nb-1', 'e-new', '2026-11-23', 52, 101)};
    ${block('nb-1-next', 'e-new', '2026-11-24', 51, 100)};
    ${block('nb-2-next', 'e-new', '2026-11-24', 1, 50, 's2')};
    INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at)
      VALUES ('t1', 'A051', 51, '2026-11-23', 's1', 's1', 'fr', 'waiting', 1000, 1000),
             ('t2', 'A052', 52, '2026-11-23', 's1', 's1', 'fr', 'waiting', 2000, 2000);
    INSERT INTO agent_logs (agent_id, epoch, acked_seq) VALUES ('agent-k1', 'e-new', 1);
    INSERT INTO agent_events (event_id, agent_id, epoch, device_seq, hlc, type, payload, status, received_at)
      VALUES ('ev1', 'agent-k1', 'e-new', 1, '000000000002000.000000.agent-k1', 'ticket.issued', '{}', 'applied', 3000);
  `);
}

const TABLES = ['number_blocks', 'tickets', 'agent_logs', 'agent_events'];
const snapshot = () =>
  Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));

describe('migration 006 (next-day blocks)', () => {
  it('keeps every version-5 row, and from then on refuses overlapping or moved ranges', () => {
    migrate(db, 5);
    fillVersion5(db);
    const before = snapshot();

    migrate(db, 6);

    expect(schemaVersion(db)).toBe(6);
    expect(snapshot()).toEqual(before);
    // A range overlapping any granted one of the same (service, day), retired or not, is refused.
    for (const [from, to] of [
      [50, 50],
      [40, 60],
      [101, 120],
      [1, 200],
    ] as const)
      expect(() => db.exec(block(`nb-x${from}-${to}`, 'e-new', '2026-11-23', from, to))).toThrow(
        /overlaps/,
      );
    // Next to them, on another day or for another service, it is not.
    db.exec(block('nb-3', 'e-new', '2026-11-23', 102, 151));
    db.exec(block('nb-4', 'e-new', '2026-11-25', 1, 50));
    db.exec(block('nb-5', 'e-new', '2026-11-23', 1, 50, 's2'));
    // A granted range is retired, never moved or given to another epoch.
    db.exec("UPDATE number_blocks SET retired_at = 7000 WHERE id = 'nb-1'");
    for (const change of [
      'from_seq = 60',
      'to_seq = 200',
      "business_day = '2026-11-26'",
      "epoch = 'e-other'",
      "service_id = 's2'",
    ])
      expect(() => db.exec(`UPDATE number_blocks SET ${change} WHERE id = 'nb-1'`)).toThrow(
        /never changes/,
      );
    // Pruning a past day reads the new index and leaves the other days.
    const plan = db
      .prepare('EXPLAIN QUERY PLAN DELETE FROM number_blocks WHERE business_day < ?')
      .all('2026-11-24') as { detail: string }[];
    expect(plan.map((p) => p.detail).join(' ')).toMatch(/number_blocks_by_business_day/);
    db.prepare('DELETE FROM number_blocks WHERE business_day < ?').run('2026-11-24');
    expect(
      db.prepare('SELECT DISTINCT business_day FROM number_blocks ORDER BY 1').pluck().all(),
    ).toEqual(['2026-11-24', '2026-11-25']);
  });
});
