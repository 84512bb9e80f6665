// Version 3: lobby hardware. Each kiosk's printer, appointments checked in by signed code, and the
// branch secret that signs those codes.
import type { Migration } from './index';

export const migration003: Migration = {
  version: 3,
  name: 'hardware',
  up(db) {
    db.exec(`
      -- The printer a kiosk prints its tickets on. No row: the hub's --printer default, if any.
      CREATE TABLE device_printers (
        device_id TEXT PRIMARY KEY REFERENCES devices(id) ON DELETE CASCADE,
        url TEXT NOT NULL,                     -- normalised: tcp://host:port, serial:..., file:...
        paper_width_mm INTEGER NOT NULL CHECK (paper_width_mm IN (58, 80)),
        printer_type TEXT NOT NULL CHECK (printer_type IN ('epson', 'star')),
        updated_at INTEGER NOT NULL
      ) STRICT;

      -- Appointments, checked in at the kiosk by the signed code printed on their confirmation.
      CREATE TABLE appointments (
        id TEXT PRIMARY KEY,
        code_id TEXT NOT NULL UNIQUE CHECK (length(code_id) BETWEEN 1 AND 20),
        service_id TEXT NOT NULL REFERENCES services(id),
        at INTEGER NOT NULL,
        lang TEXT,                             -- NULL: the branch's default language
        status TEXT NOT NULL DEFAULT 'booked' CHECK (status IN ('booked', 'checked_in', 'cancelled')),
        ticket_id TEXT UNIQUE REFERENCES tickets(id),
        created_at INTEGER NOT NULL,
        checked_in_at INTEGER,
        -- A checked-in appointment always names its ticket, and only a checked-in one does.
        CHECK ((status = 'checked_in') = (ticket_id IS NOT NULL AND checked_in_at IS NOT NULL))
      ) STRICT;
      CREATE INDEX appointments_by_time ON appointments (at);

      -- The branch secret for signed codes (256 random bits), made once. It never leaves the hub:
      -- no route returns it and no event carries it.
      INSERT OR IGNORE INTO meta (key, value) VALUES ('code_secret', lower(hex(randomblob(32))));
    `);
  },
};
