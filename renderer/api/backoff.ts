// Reconnect delays: exponential so a hub restart is not hammered by every screen in the branch,
// with jitter so forty screens that lost the hub together do not all come back in the same ms.

export interface BackoffOptions {
  baseMs?: number;
  maxMs?: number;
  /** Injected for tests; Math.random in production. */
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0 for the first retry): "equal jitter". */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, maxMs = 15_000, random = Math.random } = options;
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
