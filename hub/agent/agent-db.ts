// The kiosk agent's own SQLite database: the same durability settings as the hub's (WAL,
// synchronous=FULL, read back), and its own schema versions, one transaction per version.
import path from 'node:path';
import { openDatabase, writeTransaction, type Db } from '../db/open-database';

export const agentDatabaseFile = (dataDir: string): string => path.join(dataDir, 'agent.db');

interface AgentMigration {
  version: number;
  up(db: Db): void;
}

const AGENT_MIGRATIONS: readonly AgentMigration[] = [
  {
    version: 1,
    up(db) {
      db.exec(`
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
        -- The epoch of this agent's log: made once per database, so a lost disk means a new epoch
        -- (and the hub retires the blocks of the old one).
        INSERT INTO meta (key, value) VALUES ('epoch', 'e-' || lower(hex(randomblob(8))));

        -- Blocks the hub granted, stored before any of their numbers is used. next_seq is the first
        -- unused number; it moves in the same transaction as the ticket that uses a number.
        CREATE TABLE blocks (
          id TEXT PRIMARY KEY,
          service_id TEXT NOT NULL,
          prefix TEXT NOT NULL,
          business_day TEXT NOT NULL,
          from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
          to_seq INTEGER NOT NULL CHECK (to_seq >= from_seq),
          next_seq INTEGER NOT NULL,
          granted_at INTEGER NOT NULL,
          CHECK (next_seq BETWEEN from_seq AND to_seq + 1)
        ) STRICT;
        CREATE INDEX blocks_by_day ON blocks (service_id, business_day, from_seq);

        -- Tickets issued here while the hub was unreachable, with the answer the kiosk got.
        CREATE TABLE tickets (
          id TEXT PRIMARY KEY,
          block_id TEXT NOT NULL REFERENCES blocks(id),
          service_id TEXT NOT NULL,
          business_day TEXT NOT NULL,
          seq INTEGER NOT NULL,
          number TEXT NOT NULL,
          answer TEXT NOT NULL,                  -- JSON IssuedTicketDto
          idempotency_key TEXT UNIQUE,
          UNIQUE (service_id, business_day, seq)
        ) STRICT;

        -- This agent's log (docs/sync.md): gapless device_seq, pushed to the hub from the ack on.
        CREATE TABLE events (
          device_seq INTEGER PRIMARY KEY CHECK (device_seq >= 1),
          event_id TEXT NOT NULL UNIQUE,
          hlc TEXT NOT NULL,
          type TEXT NOT NULL,
          payload TEXT NOT NULL
        ) STRICT;
      `);
    },
  },
];

export function openAgentDatabase(file: string): Db {
  const db = openDatabase(file, { migrate: false });
  try {
    const current = Number(db.pragma('user_version', { simple: true }));
    const latest = AGENT_MIGRATIONS.length;
    if (current > latest)
      throw new Error(
        `${file} is at agent schema version ${current}; this Guichet knows up to ${latest}.`,
      );
    for (const m of AGENT_MIGRATIONS) {
      if (m.version <= current) continue;
      writeTransaction(db, () => {
        m.up(db);
        db.pragma(`user_version = ${m.version}`);
      });
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
