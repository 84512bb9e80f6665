// Version 6: number blocks for the next business day (docs/sync.md, "Offline kiosks: number
// blocks"). Blocks are now granted a day ahead and pruned once their day is long past, so the
// database itself guards the rule every grant relies on: the ranges of one (service, business day)
// never overlap, and a granted range never changes (only `retired_at` does).
import type { Migration } from './index';

export const migration006: Migration = {
  version: 6,
  name: 'next-day-blocks',
  up(db) {
    db.exec(`
      -- Pruning deletes whole past days: WHERE business_day < ?.
      CREATE INDEX number_blocks_by_business_day ON number_blocks (business_day);

      -- Two blocks of one (service, day) sharing a number would let two tickets share it.
      CREATE TRIGGER number_blocks_no_overlap BEFORE INSERT ON number_blocks
      WHEN EXISTS (
        SELECT 1 FROM number_blocks
        WHERE service_id = NEW.service_id AND business_day = NEW.business_day
          AND from_seq <= NEW.to_seq AND NEW.from_seq <= to_seq
      )
      BEGIN
        SELECT RAISE(ABORT, 'number block overlaps a block granted before');
      END;

      -- A granted range is a promise to one agent epoch: it is retired, never moved.
      CREATE TRIGGER number_blocks_range_fixed
      BEFORE UPDATE OF kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq
      ON number_blocks
      BEGIN
        SELECT RAISE(ABORT, 'a granted number block never changes its range');
      END;
    `);
  },
};
