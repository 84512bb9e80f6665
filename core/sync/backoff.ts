// Retry delays for a failed push or pull (docs/sync.md, "Retries"): exponential backoff with full
// jitter, so hubs that lost the server together do not come back together.

export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 60_000;

/** random(0, min(cap, base × 2^attempt)); `attempt` counts failures since the last success. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.trunc(attempt)), 30);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
