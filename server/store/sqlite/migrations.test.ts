// Each SQLite migration on real rows: a v1 database with synced history, taken to v2, projects the
// tickets its history already held; re-running is a no-op; a newer schema is refused.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DeviceLog, ticket, ticketPayload } from '../../testing/fixtures';
import { SQLITE_MIGRATIONS, migrateSqlite } from './migrations';
import { SqliteStore } from './sqlite-store';

function seedV1(db: Database.Database, log: DeviceLog, status: 'applied' | 'rejected' = 'applied') {
  db.prepare("INSERT INTO branches (id, name, created_at, log_pos) VALUES ('b1', 'B', 1, ?)").run(
    log.events.length,
  );
  const insert = db.prepare(
    `INSERT INTO events (branch_id, pos, event_id, device_id, epoch, device_seq, hlc, type, payload, status, received_at)
     VALUES ('b1', ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
  );
  log.events.forEach((e, i) =>
    insert.run(
      i + 1,
      e.eventId,
      log.deviceId,
      log.epoch,
      e.deviceSeq,
      e.hlc,
      e.type,
      JSON.stringify(e.payload),
      status,
    ),
  );
}

describe('SQLite migrations', () => {
  it('v1 creates the sync tables and takes rows', () => {
    const db = new Database(':memory:');
    expect(migrateSqlite(db, 1)).toBe(1);
    const log = new DeviceLog('hub-1');
    log.filler(3);
    seedV1(db, log);
    db.prepare("INSERT INTO device_logs VALUES ('b1', 'hub-1', ?, 3, 1)").run(log.epoch);
    expect(db.prepare('SELECT COUNT(*) AS n FROM events').get()).toEqual({ n: 3 });
    // A device log position can hold only one event.
    const first = log.events[0]!;
    expect(() =>
      db
        .prepare(
          `INSERT INTO events (branch_id, pos, event_id, device_id, epoch, device_seq, hlc, type, payload, status, received_at)
           VALUES ('b1', 99, 'other-id', 'hub-1', ?, ?, ?, ?, '{}', 'applied', 1)`,
        )
        .run(log.epoch, first.deviceSeq, first.hlc, first.type),
    ).toThrow(/UNIQUE/);
    db.close();
  });

  it('v2 projects the tickets of history synced before it', async () => {
    const db = new Database(':memory:');
    migrateSqlite(db, 1);
    const log = new DeviceLog('hub-1');
    const t = ticket({ id: 't1', number: 'A001' });
    log.next('ticket.issued', ticketPayload(t));
    log.next(
      'ticket.called',
      ticketPayload({ ...t, status: 'called', calledAt: t.queuedAt, counterId: 'c1' }),
    );
    log.next('ticket.issued', ticketPayload(ticket({ id: 't2', number: 'A002' })));
    seedV1(db, log);
    expect(migrateSqlite(db)).toBe(SQLITE_MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    const rows = db.prepare('SELECT ticket_id, status FROM tickets ORDER BY ticket_id').all();
    expect(rows).toEqual([
      { ticket_id: 't1', status: 'called' },
      { ticket_id: 't2', status: 'waiting' },
    ]);
    // Running again changes nothing; the store opens on the migrated file and reads the rows.
    expect(migrateSqlite(db)).toBe(2);
    const store = new SqliteStore(db);
    expect((await store.ticketsOfDay('b1', '2025-03-03')).map((r) => r.number)).toEqual([
      'A001',
      'A002',
    ]);
    await store.close();
  });

  it('refuses a database from a newer server', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrateSqlite(db)).toThrow(/newer than this server/);
    db.close();
  });
});
