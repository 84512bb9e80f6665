// The wait shown on kiosks and follow-up pages: people ahead × average service time, divided by
// how much counter time the service gets. An honest "unknown" beats a confident wrong number, so
// the estimate is null when no open counter serves the service.
import type { Counter } from './model';

/** The service time assumed before a service has any history: five minutes. */
export const DEFAULT_SERVICE_SEC = 300;

/**
 * No single visit counts for more than this many times the median. A two-hour case really did
 * slow the counter, so it is capped rather than dropped, but it must not make every kiosk promise
 * forty minutes for the rest of the morning. The median is the reference because the outliers
 * being tamed cannot move it.
 */
export const OUTLIER_CAP_MEDIANS = 4;

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The mean of recent service durations (seconds), each capped at OUTLIER_CAP_MEDIANS × median.
 * Non-finite and negative durations (clock trouble, corrupt rows) are ignored; when nothing is
 * left, `fallbackSec` stands in.
 */
export function averageServiceSec(
  recentDurationsSec: number[],
  fallbackSec = DEFAULT_SERVICE_SEC,
): number {
  const usable = recentDurationsSec
    .filter((d) => Number.isFinite(d) && d >= 0)
    .sort((a, b) => a - b);
  if (usable.length === 0) return fallbackSec;
  const cap = OUTLIER_CAP_MEDIANS * median(usable);
  let total = 0;
  for (const d of usable) total += Math.min(d, cap);
  return total / usable.length;
}

/**
 * How many counters' worth of time the service gets: each open counter serving it contributes
 * its weight for the service over the sum of its weights. A counter serving A (weight 3) and B
 * (weight 1) gives A three quarters of a counter. Paused and closed counters give nothing.
 * The hub has SQLite sum the same thing on every issue (CounterStore.counterTime), and a property
 * test holds the two to the same answers: this is the rule's definition.
 */
export function effectiveCounters(
  serviceId: string,
  counters: Pick<Counter, 'status' | 'profile'>[],
): number {
  let total = 0;
  for (const counter of counters) {
    if (counter.status !== 'open') continue;
    let mine = 0;
    let all = 0;
    for (const entry of counter.profile) {
      // The same rule as call-next: a weight that is not a positive number means "not served".
      if (!(entry.weight > 0 && Number.isFinite(entry.weight))) continue;
      all += entry.weight;
      if (entry.serviceId === serviceId) mine += entry.weight;
    }
    if (mine > 0) total += mine / all;
  }
  return total;
}

/**
 * Seconds until the visitor is likely called, as a whole number ≥ 0; null when no estimate is
 * honest: no counter time for the service, or inputs that are not finite numbers.
 */
export function estimateWaitSec(input: {
  ahead: number;
  avgServiceSec: number;
  effectiveCounters: number;
}): number | null {
  const { ahead, avgServiceSec, effectiveCounters: counters } = input;
  if (!(counters > 0) || !Number.isFinite(counters)) return null;
  if (!Number.isFinite(ahead) || !Number.isFinite(avgServiceSec)) return null;
  return Math.round((Math.max(0, ahead) * Math.max(0, avgServiceSec)) / counters);
}
