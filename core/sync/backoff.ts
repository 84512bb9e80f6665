// Retry delays for a failed push or pull (docs/sync.md, "Retries"): exponential backoff with full
// jitter, so hubs that lost the server together do not come back together.

export const BACKOFF_BASE_MS = 500;
/**
 * The longest wait between two tries. Short on purpose: a branch and its server must agree again
 * within 5 s of the network coming back, and one cheap failed request every 1.5 s on average per
 * hub is nothing for a server (200 branches: ~130 refused connections a second at worst).
 */
export const BACKOFF_CAP_MS = 3_000;

/** random(0, min(cap, base × 2^attempt)); `attempt` counts failures since the last success. */
export function retryDelayMs(attempt: number, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(0, Math.trunc(attempt)), 30);
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  return Math.floor(random() * ceiling);
}
