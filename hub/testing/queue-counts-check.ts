// The check of migration 007's counts, for tests and the crash suite: what queue_counts holds
// against the active tickets counted row by row. Returns one line per count that differs.
import type Database from 'better-sqlite3';

export function queueCountMismatches(db: Database.Database): string[] {
  return db
    .prepare<[], { key: string; kept: number | null; counted: number | null }>(
      `WITH counted AS (
         SELECT service_id, priority, status, business_day, COUNT(*) AS n FROM tickets
         WHERE status IN ('waiting', 'called', 'serving')
         GROUP BY service_id, priority, status, business_day)
       SELECT c.service_id || '/' || c.priority || '/' || c.status || '/' || c.business_day AS key,
         q.n AS kept, c.n AS counted
       FROM counted c LEFT JOIN queue_counts q USING (service_id, priority, status, business_day)
       WHERE q.n IS NOT c.n
       UNION ALL
       SELECT q.service_id || '/' || q.priority || '/' || q.status || '/' || q.business_day,
         q.n, NULL
       FROM queue_counts q LEFT JOIN counted c USING (service_id, priority, status, business_day)
       WHERE c.n IS NULL`,
    )
    .all()
    .map((c) => `queue count ${c.key}: kept ${c.kept}, counted ${c.counted}`);
}
