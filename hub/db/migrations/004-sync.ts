// Version 4: sync with the central server (docs/sync.md). An HLC stamp on every event of the
// outbox, the hub's log epoch, the upstream link (URL and token) and what it acknowledged.
import { createHlc, encodeHlc, tickHlc, type Hlc } from '../../../core/sync/hlc';
import type { Migration } from './index';

/** A device id the HLC accepts as its node; older logs written under another name use "hub". */
const NODE = /^[A-Za-z0-9_-]{1,64}$/;

export const migration004: Migration = {
  version: 4,
  name: 'sync',
  up(db) {
    db.exec(`
      -- The HLC stamp (wall.counter.node) given when the event was appended. Stored rather than
      -- derived at push time, so a resent event carries the very stamp it was first sent with.
      ALTER TABLE events ADD COLUMN hlc TEXT;

      -- One row per upstream link ('central' now; an agent's link to its hub later).
      CREATE TABLE sync_links (
        name TEXT PRIMARY KEY,
        url TEXT NOT NULL,
        token TEXT NOT NULL,                   -- a secret: never logged, never returned by the API
        config_linked INTEGER NOT NULL DEFAULT 0, -- the first-link POST /sync/config was answered
        config_version INTEGER,                -- the upstream configuration version applied here
        pull_cursor TEXT NOT NULL DEFAULT '',
        clock_offset_ms INTEGER,               -- upstream clock minus ours, measured on answers
        last_success_at INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL
      ) STRICT;

      -- What the upstream acknowledged of each log we push, per (link, device, epoch): a new epoch
      -- (or a new link) starts from 0, so an old and a new log never share an acknowledgement.
      CREATE TABLE sync_acks (
        link TEXT NOT NULL REFERENCES sync_links(name) ON DELETE CASCADE,
        device_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
        PRIMARY KEY (link, device_id, epoch)
      ) STRICT;

      -- The epoch of this hub's log: made once per database; a lost disk means a new database.
      INSERT OR IGNORE INTO meta (key, value) VALUES ('hub_epoch', 'e-' || lower(hex(randomblob(8))));
    `);
    // Stamps for the events written before this version, in log order: the same rule as a live
    // append (wall = max(wall, at), counter bumped when wall does not move), so they sort as before.
    const rows = db
      .prepare<[], { seq: number; device_id: string; at: number }>(
        'SELECT seq, device_id, at FROM events ORDER BY device_id, device_seq',
      )
      .all();
    const stamp = db.prepare<[string, number]>('UPDATE events SET hlc = ? WHERE seq = ?');
    const clocks = new Map<string, Hlc>();
    for (const row of rows) {
      const node = NODE.test(row.device_id) ? row.device_id : 'hub';
      const clock = tickHlc(clocks.get(row.device_id) ?? createHlc(node), row.at);
      clocks.set(row.device_id, clock);
      stamp.run(encodeHlc(clock), row.seq);
    }
  },
};
