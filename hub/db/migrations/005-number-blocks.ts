// Version 5: offline kiosks (docs/sync.md, "Offline kiosks: number blocks"). The number blocks the
// hub granted to kiosk agents, and what the hub received of each agent's log.
import type { Migration } from './index';

export const migration005: Migration = {
  version: 5,
  name: 'number-blocks',
  up(db) {
    db.exec(`
      -- A range of sequence numbers of one (service, business day) that only one agent epoch may
      -- issue. Never deleted: the hub's own numbering skips every row here, retired or not, so a
      -- number is never drawn twice, even by an agent whose disk was lost.
      CREATE TABLE number_blocks (
        id TEXT PRIMARY KEY,
        kiosk_device_id TEXT NOT NULL REFERENCES devices(id), -- the token the agent presents
        agent_id TEXT NOT NULL,                -- the agent's log (agent-<kiosk device id>)
        epoch TEXT NOT NULL,                   -- the agent's log epoch the block belongs to
        service_id TEXT NOT NULL REFERENCES services(id),
        business_day TEXT NOT NULL,
        from_seq INTEGER NOT NULL CHECK (from_seq >= 1),
        to_seq INTEGER NOT NULL CHECK (to_seq >= from_seq),
        granted_at INTEGER NOT NULL,
        retired_at INTEGER                     -- its epoch was replaced: no new ticket from it
      ) STRICT;
      CREATE INDEX number_blocks_by_day ON number_blocks (service_id, business_day, from_seq);
      CREATE INDEX number_blocks_by_agent ON number_blocks (kiosk_device_id, epoch);

      -- The hub's copy of each agent log it received (docs/sync.md, "Push"): one acknowledgement
      -- per (agent, epoch), and every event by eventId, applied or rejected.
      CREATE TABLE agent_logs (
        agent_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
        PRIMARY KEY (agent_id, epoch)
      ) STRICT;
      CREATE TABLE agent_events (
        event_id TEXT PRIMARY KEY,
        agent_id TEXT NOT NULL,
        epoch TEXT NOT NULL,
        device_seq INTEGER NOT NULL CHECK (device_seq >= 1),
        hlc TEXT NOT NULL,
        type TEXT NOT NULL,
        payload TEXT NOT NULL,                 -- JSON, as received
        status TEXT NOT NULL CHECK (status IN ('applied', 'rejected')),
        reason TEXT,
        received_at INTEGER NOT NULL,
        UNIQUE (agent_id, epoch, device_seq),
        CHECK ((status = 'rejected') = (reason IS NOT NULL))
      ) STRICT;
    `);
  },
};
