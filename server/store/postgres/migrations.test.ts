// Each PostgreSQL migration on real rows, in a fresh database of the test PostgreSQL; and two
// instances starting at once on one database migrate it once.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshDatabase, type TestDatabase } from '../../testing/postgres-harness';
import { DeviceLog, ticket, ticketPayload } from '../../testing/fixtures';
import { POSTGRES_MIGRATIONS, migratePostgres } from './migrations';
import { PostgresStore } from './postgres-store';

describe('PostgreSQL migrations', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  beforeAll(async () => {
    database = await freshDatabase();
    pool = new pg.Pool({ connectionString: database.url, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('v1 then v2: history synced before v2 gets its tickets projected', async () => {
    const client = await pool.connect();
    try {
      expect(await migratePostgres(client, 1)).toBe(1);
      await client.query(
        "INSERT INTO branches (id, name, created_at, log_pos) VALUES ('b1', 'B', 1, 2)",
      );
      const log = new DeviceLog('hub-1');
      const t = ticket({ id: 't1', number: 'A001' });
      log.next('ticket.issued', ticketPayload(t));
      log.next('ticket.finished', ticketPayload({ ...t, status: 'done', counterId: 'c1' }));
      for (const [i, e] of log.events.entries())
        await client.query(
          `INSERT INTO events (branch_id, pos, event_id, device_id, epoch, device_seq, hlc, type, payload, status, received_at)
           VALUES ('b1', $1, $2, 'hub-1', $3, $4, $5, $6, $7, 'applied', 1)`,
          [i + 1, e.eventId, log.epoch, e.deviceSeq, e.hlc, e.type, JSON.stringify(e.payload)],
        );
      expect(await migratePostgres(client)).toBe(POSTGRES_MIGRATIONS.length);
      const { rows } = await client.query('SELECT ticket_id, status FROM tickets');
      expect(rows).toEqual([{ ticket_id: 't1', status: 'done' }]);
      const versions = await client.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(versions.rows.map((r: { version: number }) => r.version)).toEqual([1, 2]);
    } finally {
      client.release();
    }
  });

  it('lets several instances start at once on a new database', async () => {
    const other = await freshDatabase();
    try {
      const stores = await Promise.all(
        [1, 2, 3].map(() => PostgresStore.open({ connectionString: other.url, poolSize: 2 })),
      );
      expect((await stores[0]!.listBranches()).length).toBe(0);
      await Promise.all(stores.map((s) => s.close()));
    } finally {
      await other.drop();
    }
  });
});
