// How long to wait before restarting something that died: exponential, capped, and forgiven once
// it has stayed up for a while (so a hub that crashes once a week restarts at once, while one
// that crashes at start-up does not spin the CPU or fill the disk with logs).

export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Uptime after which the failure count starts again from zero. */
  stableAfterMs: number;
}

export const HUB_RESTART_POLICY: BackoffPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 30_000,
  factor: 2,
  stableAfterMs: 60_000,
};

/** The delay before restart number `failures` (1 for the first failure in a row). */
export function restartDelay(failures: number, policy: BackoffPolicy = HUB_RESTART_POLICY): number {
  if (failures <= 0) return 0;
  const delay = policy.initialDelayMs * policy.factor ** (failures - 1);
  return Math.min(delay, policy.maxDelayMs);
}

/** The failure count after a death that came `uptimeMs` after the last start. */
export function failuresAfterDeath(
  previousFailures: number,
  uptimeMs: number,
  policy: BackoffPolicy = HUB_RESTART_POLICY,
): number {
  return uptimeMs >= policy.stableAfterMs ? 1 : previousFailures + 1;
}
