// Version 7: how many tickets stand in each active state, kept by the database itself. Every issue
// checks the building's capacity and tells the visitor how many people are ahead; both counted
// the queue row by row (SQLite has no counted b-trees), so issuing cost grew with the queue:
// +0.5 ms a ticket at 10,000 waiting. Triggers keep one row per (service, class, state, day)
// with its count, in the same transaction as the ticket's change, whoever writes the ticket.
// The capacity check's partial index is then no longer read, and no longer written.
import type { Migration } from './index';

/** The states a ticket is in while its visitor is in the building. */
const ACTIVE = `('waiting', 'called', 'serving')`;

/** A ticket moved between counted rows (the ticket store's UPDATE rewrites unchanged columns too). */
const KEY_CHANGED = `OLD.service_id IS NOT NEW.service_id OR OLD.priority IS NOT NEW.priority
    OR OLD.status IS NOT NEW.status OR OLD.business_day IS NOT NEW.business_day`;

/** The new version of a ticket counts in its row. */
const ENTER = `
    INSERT INTO queue_counts (service_id, priority, status, business_day, n)
    VALUES (NEW.service_id, NEW.priority, NEW.status, NEW.business_day, 1)
    ON CONFLICT (service_id, priority, status, business_day) DO UPDATE SET n = n + 1;`;

/** The old version of a ticket no longer counts; a count down to zero loses its row. */
const LEAVE = `
    UPDATE queue_counts SET n = n - 1
    WHERE service_id = OLD.service_id AND priority = OLD.priority
      AND status = OLD.status AND business_day = OLD.business_day;
    DELETE FROM queue_counts
    WHERE service_id = OLD.service_id AND priority = OLD.priority
      AND status = OLD.status AND business_day = OLD.business_day AND n = 0;`;

export const migration007: Migration = {
  version: 7,
  name: 'queue-counts',
  up(db) {
    db.exec(`
      -- Only non-zero counts have a row: a few per service, plus the days whose tickets still wait.
      CREATE TABLE queue_counts (
        service_id TEXT NOT NULL,
        priority INTEGER NOT NULL,
        status TEXT NOT NULL CHECK (status IN ${ACTIVE}),
        business_day TEXT NOT NULL,
        n INTEGER NOT NULL CHECK (n >= 0),
        PRIMARY KEY (service_id, priority, status, business_day)
      ) STRICT, WITHOUT ROWID;

      INSERT INTO queue_counts (service_id, priority, status, business_day, n)
        SELECT service_id, priority, status, business_day, COUNT(*) FROM tickets
        WHERE status IN ${ACTIVE}
        GROUP BY service_id, priority, status, business_day;

      CREATE TRIGGER queue_counts_issue AFTER INSERT ON tickets
      WHEN NEW.status IN ${ACTIVE}
      BEGIN ${ENTER}
      END;

      CREATE TRIGGER queue_counts_leave AFTER UPDATE OF service_id, priority, status, business_day ON tickets
      WHEN OLD.status IN ${ACTIVE} AND (${KEY_CHANGED})
      BEGIN ${LEAVE}
      END;

      CREATE TRIGGER queue_counts_enter AFTER UPDATE OF service_id, priority, status, business_day ON tickets
      WHEN NEW.status IN ${ACTIVE} AND (${KEY_CHANGED})
      BEGIN ${ENTER}
      END;

      CREATE TRIGGER queue_counts_delete AFTER DELETE ON tickets
      WHEN OLD.status IN ${ACTIVE}
      BEGIN ${LEAVE}
      END;

      DROP INDEX tickets_active;
    `);
  },
};
