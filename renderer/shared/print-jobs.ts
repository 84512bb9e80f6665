// The latest state of recent print jobs, from the stream's `print.job` messages (kiosk: its
// tickets; counter: its reprints; admin: every job). Pure.
import type { PrintJobEvent } from '../../core/api/schemas';

export interface JobSnapshot {
  state: PrintJobEvent['state'];
  reason: string | null;
}

const TERMINAL: ReadonlySet<JobSnapshot['state']> = new Set(['printed', 'failed']);
const MAX_JOBS = 50;

/**
 * Remembers the latest state of recent jobs (a `print.job` may arrive before the HTTP answer that
 * names its job). A job that ended never goes back to queued or printing (late, reordered
 * messages); the map stays small whatever the stream sends.
 */
export function recordJob(
  jobs: ReadonlyMap<string, JobSnapshot>,
  event: Pick<PrintJobEvent, 'jobId' | 'state' | 'reason'>,
): ReadonlyMap<string, JobSnapshot> {
  const previous = jobs.get(event.jobId);
  if (previous && TERMINAL.has(previous.state) && !TERMINAL.has(event.state)) return jobs;
  const next = new Map(jobs);
  next.delete(event.jobId);
  next.set(event.jobId, { state: event.state, reason: event.reason ?? null });
  while (next.size > MAX_JOBS) next.delete(next.keys().next().value as string);
  return next;
}
