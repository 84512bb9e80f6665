// Each migration is tested on real rows: the database is stepped to the version before, filled
// the way that version's code would fill it, then migrated, and the rows are checked.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../open-database';
import { queueCountMismatches } from '../../testing/queue-counts-check';
import { migrate, schemaVersion } from './index';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guichet-migrate-'));
  db = openDatabase(path.join(dir, 'hub.db'), { migrate: false });
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Rows as version 1 stores them: a branch, a service, a counter, two tickets and their events. */
function fillVersion1(db: Db): void {
  db.exec(`
    INSERT INTO branch (id, name, time_zone, default_lang, languages, announcement_templates)
      VALUES ('b1', 'Mairie', 'Europe/Paris', 'fr', '["fr"]', '{"fr":"{number} au guichet {counter}"}');
    INSERT INTO services (id, prefix, names, open, position) VALUES ('s1', 'A', '{"fr":"État civil"}', 1, 0);
    INSERT INTO counters (id, name) VALUES ('c1', '1');
    INSERT INTO counter_services (counter_id, service_id, weight) VALUES ('c1', 's1', 2);
    INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at)
      VALUES ('t1', 'A001', 1, '2026-11-22', 's1', 's1', 'fr', 'waiting', 1000, 1000);
    INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at, called_at, counter_id)
      VALUES ('t2', 'A002', 2, '2026-11-22', 's1', 's1', 'fr', 'called', 2000, 2000, 3000, 'c1');
    INSERT INTO events (event_id, device_id, device_seq, at, type, ticket_id, payload)
      VALUES ('e1', 'hub-1', 1, 1000, 'ticket.issued', 't1', '{}'), ('e2', 'hub-1', 2, 2000, 'ticket.issued', 't2', '{}');
  `);
}

describe('migration 001 (initial)', () => {
  it('creates the schema that holds a branch, its queue and the outbox', () => {
    migrate(db, 1);
    expect(schemaVersion(db)).toBe(1);
    fillVersion1(db);
    expect(db.prepare('SELECT number FROM tickets ORDER BY seq').pluck().all()).toEqual([
      'A001',
      'A002',
    ]);
  });

  it('refuses a second ticket with the same number in a (service, day)', () => {
    migrate(db, 1);
    fillVersion1(db);
    expect(() =>
      db.exec(`INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at)
               VALUES ('t3', 'A001', 1, '2026-11-22', 's1', 's1', 'fr', 'waiting', 4000, 4000)`),
    ).toThrow(/UNIQUE/);
  });

  it('refuses a counter holding two tickets at once', () => {
    migrate(db, 1);
    fillVersion1(db);
    expect(() =>
      db.exec("UPDATE tickets SET status = 'called', counter_id = 'c1' WHERE id = 't1'"),
    ).toThrow(/UNIQUE/);
  });

  it('refuses a gap-free sequence clash in the outbox and unknown statuses', () => {
    migrate(db, 1);
    fillVersion1(db);
    expect(() =>
      db.exec(
        "INSERT INTO events (event_id, device_id, device_seq, at, type, payload) VALUES ('e3', 'hub-1', 2, 1, 'x', '{}')",
      ),
    ).toThrow(/UNIQUE/);
    expect(() => db.exec("UPDATE tickets SET status = 'lost' WHERE id = 't1'")).toThrow(/CHECK/);
  });
});

describe('migration 002 (devices and idempotency)', () => {
  it('keeps every version-1 row and adds devices, tokens, pairing codes and the idempotency ledger', () => {
    migrate(db, 1);
    fillVersion1(db);
    const before = db.prepare('SELECT * FROM tickets ORDER BY id').all();
    const eventsBefore = db.prepare('SELECT * FROM events ORDER BY seq').all();

    migrate(db, 2);

    expect(schemaVersion(db)).toBe(2);
    expect(db.prepare('SELECT * FROM tickets ORDER BY id').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM events ORDER BY seq').all()).toEqual(eventsBefore);
    db.exec(`
      INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('d1', 'Counter 1', 'counter', 'c1', 1);
      INSERT INTO device_tokens (token_hash, device_id, created_at) VALUES ('h', 'd1', 1);
      INSERT INTO idempotency_keys (device_id, key, request_hash, status_code, response, created_at) VALUES ('d1', 'k', 'r', 201, '{}', 1);
    `);
    expect(db.prepare('SELECT COUNT(*) FROM device_tokens').pluck().get()).toBe(1);
  });

  it('ties counter devices to an existing counter and only counter devices', () => {
    migrate(db, 1);
    fillVersion1(db);
    migrate(db, 2);
    expect(() =>
      db.exec(
        "INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('d2', 'x', 'counter', NULL, 1)",
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        "INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('d3', 'x', 'kiosk', 'c1', 1)",
      ),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        "INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('d4', 'x', 'counter', 'nope', 1)",
      ),
    ).toThrow(/FOREIGN KEY/);
  });
});

/** Rows as version 2 stores them: version 1's, plus a kiosk, a display and their tokens. */
function fillVersion2(db: Db): void {
  fillVersion1(db);
  db.exec(`
    INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('k1', 'Kiosk', 'kiosk', NULL, 1);
    INSERT INTO devices (id, name, role, counter_id, created_at) VALUES ('d1', 'Display', 'display', NULL, 1);
    INSERT INTO device_tokens (token_hash, device_id, created_at) VALUES ('h1', 'k1', 1);
    INSERT INTO idempotency_keys (device_id, key, request_hash, status_code, response, created_at) VALUES ('k1', 'k', 'r', 201, '{}', 1);
    INSERT INTO meta (key, value) VALUES ('hub_device_id', 'hub-1');
  `);
}

describe('migration 003 (hardware)', () => {
  const TABLES = ['tickets', 'events', 'devices', 'device_tokens', 'idempotency_keys'];
  const snapshot = () =>
    Object.fromEntries(
      TABLES.map((t) => [t, db.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]),
    );

  it('keeps every version-2 row, adds printers and appointments, and makes the code secret once', () => {
    migrate(db, 2);
    fillVersion2(db);
    const before = snapshot();

    migrate(db, 3);

    expect(schemaVersion(db)).toBe(3);
    expect(snapshot()).toEqual(before);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'hub_device_id'").pluck().get()).toBe(
      'hub-1',
    );
    const secret = db.prepare("SELECT value FROM meta WHERE key = 'code_secret'").pluck().get();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    db.exec(`
      INSERT INTO device_printers (device_id, url, paper_width_mm, printer_type, updated_at)
        VALUES ('k1', 'tcp://10.0.0.50:9100', 58, 'epson', 5);
      INSERT INTO appointments (id, code_id, service_id, at, status, created_at)
        VALUES ('a1', 'ABC123', 's1', 5000, 'booked', 5);
      UPDATE appointments SET status = 'checked_in', ticket_id = 't1', checked_in_at = 6000 WHERE id = 'a1';
    `);
    expect(db.prepare('SELECT ticket_id FROM appointments').pluck().get()).toBe('t1');
  });

  it('refuses odd paper, unknown printer types, half check-ins and a second appointment per ticket', () => {
    migrate(db, 2);
    fillVersion2(db);
    migrate(db, 3);
    const printer = (width: number, type: string) =>
      db.exec(
        `INSERT INTO device_printers (device_id, url, paper_width_mm, printer_type, updated_at) VALUES ('k1', 'tcp://h:1', ${width}, '${type}', 1)`,
      );
    expect(() => printer(70, 'epson')).toThrow(/CHECK/);
    expect(() => printer(80, 'zebra')).toThrow(/CHECK/);
    expect(() =>
      db.exec(
        "INSERT INTO device_printers (device_id, url, paper_width_mm, printer_type, updated_at) VALUES ('nope', 'tcp://h:1', 80, 'epson', 1)",
      ),
    ).toThrow(/FOREIGN KEY/);
    db.exec(`INSERT INTO appointments (id, code_id, service_id, at, created_at) VALUES ('a1', 'C1', 's1', 1, 1);
             INSERT INTO appointments (id, code_id, service_id, at, created_at) VALUES ('a2', 'C2', 's1', 1, 1);`);
    expect(() => db.exec("UPDATE appointments SET status = 'checked_in' WHERE id = 'a1'")).toThrow(
      /CHECK/,
    );
    db.exec(
      "UPDATE appointments SET status = 'checked_in', ticket_id = 't1', checked_in_at = 2 WHERE id = 'a1'",
    );
    expect(() =>
      db.exec(
        "UPDATE appointments SET status = 'checked_in', ticket_id = 't1', checked_in_at = 2 WHERE id = 'a2'",
      ),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.exec(
        "INSERT INTO appointments (id, code_id, service_id, at, created_at) VALUES ('a3', 'C1', 's1', 1, 1)",
      ),
    ).toThrow(/UNIQUE/);
  });

  it("a kiosk's printer goes with the kiosk", () => {
    migrate(db, 2);
    fillVersion2(db);
    migrate(db, 3);
    db.exec(
      "INSERT INTO device_printers (device_id, url, paper_width_mm, printer_type, updated_at) VALUES ('k1', 'tcp://h:1', 80, 'star', 1)",
    );
    db.exec(
      "DELETE FROM device_tokens WHERE device_id = 'k1'; DELETE FROM idempotency_keys; DELETE FROM devices WHERE id = 'k1'",
    );
    expect(db.prepare('SELECT COUNT(*) FROM device_printers').pluck().get()).toBe(0);
  });
});

describe('migration 004 (sync)', () => {
  it('keeps every version-3 row, stamps old events with increasing HLCs and makes the epoch once', () => {
    migrate(db, 3);
    fillVersion2(db);
    db.exec(
      "INSERT INTO events (event_id, device_id, device_seq, at, type, payload) VALUES ('e3', 'hub-1', 3, 2000, 'ticket.called', '{}')",
    );
    const before = db.prepare('SELECT * FROM events ORDER BY seq').all() as object[];

    migrate(db, 4);

    expect(schemaVersion(db)).toBe(4);
    const after = db.prepare('SELECT * FROM events ORDER BY seq').all() as { hlc: string }[];
    expect(after.map(({ hlc: _hlc, ...rest }) => rest)).toEqual(before);
    // Same millisecond twice (e2, e3 at 2000): the counter orders them.
    expect(after.map((e) => e.hlc)).toEqual([
      '000000000001000.000000.hub-1',
      '000000000002000.000000.hub-1',
      '000000000002000.000001.hub-1',
    ]);
    const epoch = db.prepare("SELECT value FROM meta WHERE key = 'hub_epoch'").pluck().get();
    expect(epoch).toMatch(/^e-[0-9a-f]{16}$/);
    db.exec(`
      INSERT INTO sync_links (name, url, token, created_at) VALUES ('central', 'https://c.example', 'gsb_x', 1);
      INSERT INTO sync_acks (link, device_id, epoch, acked_seq) VALUES ('central', 'hub-1', '${String(epoch)}', 3);
    `);
    expect(() => db.exec("UPDATE sync_acks SET acked_seq = -1 WHERE link = 'central'")).toThrow(
      /CHECK/,
    );
    db.exec("DELETE FROM sync_links WHERE name = 'central'");
    expect(db.prepare('SELECT COUNT(*) FROM sync_acks').pluck().get()).toBe(0);
  });
});

describe('migration 005 (number blocks)', () => {
  it('keeps every version-4 row and holds blocks and received agent events', () => {
    migrate(db, 4);
    fillVersion2(db);
    const ticketsBefore = db.prepare('SELECT * FROM tickets ORDER BY id').all();
    const eventsBefore = db.prepare('SELECT * FROM events ORDER BY seq').all();

    migrate(db, 5);

    expect(schemaVersion(db)).toBe(5);
    expect(db.prepare('SELECT * FROM tickets ORDER BY id').all()).toEqual(ticketsBefore);
    expect(db.prepare('SELECT * FROM events ORDER BY seq').all()).toEqual(eventsBefore);
    const kiosk = db
      .prepare("SELECT id FROM devices WHERE role = 'kiosk' LIMIT 1")
      .pluck()
      .get() as string;
    db.exec(`
      INSERT INTO number_blocks (id, kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq, granted_at)
        VALUES ('nb1', '${kiosk}', 'agent-k', 'e-1', 's1', '2026-11-22', 3, 52, 5000);
      INSERT INTO agent_logs (agent_id, epoch, acked_seq) VALUES ('agent-k', 'e-1', 1);
      INSERT INTO agent_events (event_id, agent_id, epoch, device_seq, hlc, type, payload, status, received_at)
        VALUES ('ev1', 'agent-k', 'e-1', 1, '000000000005000.000000.agent-k', 'ticket.issued', '{}', 'applied', 6000);
    `);
    expect(() =>
      db.exec(`INSERT INTO number_blocks (id, kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq, granted_at)
               VALUES ('nb2', '${kiosk}', 'agent-k', 'e-1', 's1', '2026-11-22', 60, 59, 5000)`),
    ).toThrow(/CHECK/);
    expect(() =>
      db.exec(`INSERT INTO number_blocks (id, kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq, granted_at)
               VALUES ('nb3', 'nobody', 'agent-k', 'e-1', 's1', '2026-11-22', 60, 69, 5000)`),
    ).toThrow(/FOREIGN KEY/);
    // One position of a log holds one event, and a rejected event says why.
    expect(() =>
      db.exec(`INSERT INTO agent_events (event_id, agent_id, epoch, device_seq, hlc, type, payload, status, received_at)
               VALUES ('ev2', 'agent-k', 'e-1', 1, 'h', 'ticket.issued', '{}', 'applied', 6000)`),
    ).toThrow(/UNIQUE/);
    expect(() =>
      db.exec(`INSERT INTO agent_events (event_id, agent_id, epoch, device_seq, hlc, type, payload, status, received_at)
               VALUES ('ev3', 'agent-k', 'e-1', 2, 'h', 'x.y', '{}', 'rejected', 6000)`),
    ).toThrow(/CHECK/);
    expect(() => db.exec('UPDATE agent_logs SET acked_seq = -1')).toThrow(/CHECK/);
  });
});

describe('migration 007 (queue counts)', () => {
  const kept = (db: Db) => db.prepare('SELECT * FROM queue_counts ORDER BY 1, 2, 3, 4').all();

  it('counts the tickets already there, and keeps counting whoever writes them', () => {
    migrate(db, 6);
    fillVersion2(db);
    db.exec(`
      INSERT INTO services (id, prefix, names, open, position) VALUES ('s2', 'B', '{"fr":"Passeports"}', 1, 1);
      INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, priority, lang, status, issued_at, queued_at)
        VALUES ('t3', 'A003', 3, '2026-11-22', 's1', 's1', 1, 'fr', 'waiting', 4000, 4000),
               ('t4', 'B001', 1, '2026-11-21', 's2', 's2', 0, 'fr', 'waiting', 500, 500),
               ('t5', 'B002', 2, '2026-11-22', 's2', 's2', 0, 'fr', 'done', 600, 600);
    `);
    const ticketsBefore = db.prepare('SELECT * FROM tickets ORDER BY id').all();

    migrate(db, 7);

    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare('SELECT * FROM tickets ORDER BY id').all()).toEqual(ticketsBefore);
    // t1 and t3 wait in s1 (one of each class), t2 is called, t4 waits from the day before.
    expect(kept(db)).toEqual([
      { service_id: 's1', priority: 0, status: 'called', business_day: '2026-11-22', n: 1 },
      { service_id: 's1', priority: 0, status: 'waiting', business_day: '2026-11-22', n: 1 },
      { service_id: 's1', priority: 1, status: 'waiting', business_day: '2026-11-22', n: 1 },
      { service_id: 's2', priority: 0, status: 'waiting', business_day: '2026-11-21', n: 1 },
    ]);
    expect(
      db.prepare("SELECT name FROM sqlite_master WHERE name = 'tickets_active'").all(),
    ).toEqual([]);

    // Every kind of write moves the counts (a step, a transfer, a new ticket, a finish, a delete);
    // a write that moves no ticket between rows (a recall) leaves them.
    db.exec(`
      UPDATE tickets SET status = 'serving' WHERE id = 't2';
      UPDATE tickets SET service_id = 's2', transfers = 1 WHERE id = 't3';
      UPDATE tickets SET recalls = 1 WHERE id = 't4';
      INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at)
        VALUES ('t6', 'A004', 4, '2026-11-22', 's1', 's1', 'fr', 'waiting', 7000, 7000);
      UPDATE tickets SET status = 'done', finished_at = 8000 WHERE id = 't2';
      DELETE FROM tickets WHERE id = 't4';
    `);
    expect(queueCountMismatches(db)).toEqual([]);
    expect(kept(db)).toEqual([
      { service_id: 's1', priority: 0, status: 'waiting', business_day: '2026-11-22', n: 2 },
      { service_id: 's2', priority: 1, status: 'waiting', business_day: '2026-11-22', n: 1 },
    ]);
    expect(() =>
      db.exec("INSERT INTO queue_counts VALUES ('s1', 0, 'done', '2026-11-22', 1)"),
    ).toThrow(/CHECK/);
  });
});

describe('migration 008 (fewer pages per command)', () => {
  const events = (db: Db) => db.prepare('SELECT * FROM events ORDER BY seq').all();
  const tickets = (db: Db) =>
    db.prepare('SELECT * FROM tickets ORDER BY id').all() as Record<string, unknown>[];
  const eventsDdl = (db: Db) =>
    db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
      .pluck()
      .get();
  const counter = (db: Db) =>
    db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'").pluck().get();
  /** The indexes each command's commit writes into, besides the tables themselves. */
  const indexes = (db: Db, table: string) =>
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name")
      .pluck()
      .all(table);
  const append = (db: Db, id: string, deviceSeq: number) =>
    db
      .prepare(
        `INSERT INTO events (event_id, device_id, device_seq, at, type, ticket_id, payload, hlc)
         VALUES (?, 'hub-1', ?, 9000, 'ticket.finished', 't1', '{}', '000000000009000.000000.hub-1')`,
      )
      .run(id, deviceSeq).lastInsertRowid;

  /**
   * Version 7 with the version-2 rows, a ticket issued by kiosk k1 (its event names k1) and a
   * call of t2 by another device, stamped the way version 4 stamps.
   */
  function fillVersion7(db: Db): void {
    migrate(db, 7);
    fillVersion2(db);
    db.exec(`
      INSERT INTO tickets (id, number, seq, business_day, issued_service_id, service_id, lang, status, issued_at, queued_at)
        VALUES ('t3', 'A003', 3, '2026-11-22', 's1', 's1', 'fr', 'waiting', 4000, 4000);
      INSERT INTO events (event_id, device_id, device_seq, at, type, ticket_id, actor_device_id, payload, hlc)
        VALUES ('e3', 'hub-1', 3, 3000, 'ticket.called', 't2', 'c1-device', '{"counterId":"c1"}', '000000000003000.000000.hub-1'),
               ('e4', 'hub-1', 4, 4000, 'ticket.issued', 't3', 'k1', '{}', '000000000004000.000000.hub-1');
    `);
  }

  it('keeps every event and ticket, says who issued each ticket, and drops the counter and three indexes', () => {
    fillVersion7(db);
    const eventsBefore = events(db);
    const ticketsBefore = tickets(db);
    expect(eventsDdl(db)).toMatch(/AUTOINCREMENT/);
    expect(counter(db)).toBe(4);

    migrate(db, 8);

    expect(schemaVersion(db)).toBe(8);
    expect(events(db)).toEqual(eventsBefore);
    const after = tickets(db);
    expect(after.map(({ issued_by: _by, ...rest }) => rest)).toEqual(ticketsBefore);
    // From each ticket's ticket.issued event: t1 and t2's name no device, t3's names k1 (the
    // call of t2 by another device does not count).
    expect(after.map((t) => [t.id, t.issued_by])).toEqual([
      ['t1', null],
      ['t2', null],
      ['t3', 'k1'],
    ]);
    expect(eventsDdl(db)).not.toMatch(/AUTOINCREMENT/);
    expect(counter(db)).toBeUndefined();
    // Left: each device's gapless sequence; gone: the event id's and the by-ticket index.
    expect(indexes(db, 'events')).toEqual(['sqlite_autoindex_events_1']);
    // Left: the ticket's id, its number, and the three partial queue indexes; gone: by day.
    expect(indexes(db, 'tickets')).toEqual([
      'sqlite_autoindex_tickets_1',
      'sqlite_autoindex_tickets_2',
      'tickets_done',
      'tickets_in_hand',
      'tickets_waiting',
    ]);
    // The next event is numbered after the last, and no counter row is written for it.
    expect(append(db, 'e5', 5)).toBe(5);
    expect(counter(db)).toBeUndefined();
    // The table's constraints came along: one device's sequence has no gaps or repeats.
    expect(() => append(db, 'e6', 5)).toThrow(/UNIQUE/);
    expect(() =>
      db.exec(
        "INSERT INTO events (event_id, device_id, device_seq, at, type, payload) VALUES ('e7', 'hub-1', 7, 'soon', 'x', '{}')",
      ),
    ).toThrow(/cannot store TEXT value in INTEGER column/);
  });

  it('keeps AUTOINCREMENT when the counter is ahead of the table (events deleted by hand)', () => {
    fillVersion7(db);
    db.exec("DELETE FROM events WHERE event_id = 'e4'");
    const before = events(db);

    migrate(db, 8);

    expect(schemaVersion(db)).toBe(8);
    expect(events(db)).toEqual(before);
    expect(eventsDdl(db)).toMatch(/AUTOINCREMENT/);
    expect(counter(db)).toBe(4);
    expect(indexes(db, 'events')).toEqual(['sqlite_autoindex_events_1']);
    // Number 4 is not given again.
    expect(append(db, 'e5', 4)).toBe(5);
  });

  it('keeps the counter of a log whose events were all deleted by hand', () => {
    fillVersion7(db);
    db.exec('DELETE FROM events');

    migrate(db, 8);

    expect(counter(db)).toBe(4);
    expect(append(db, 'e5', 1)).toBe(5);
  });
});
