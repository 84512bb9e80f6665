// What to do when a window's renderer process is gone (crash, out of memory, killed). A lobby
// screen must come back by itself, but a page that crashes at load must not be reloaded in a
// tight loop: the same backoff as the hub, counted per window.
import { failuresAfterDeath, restartDelay, type BackoffPolicy } from '../hub/restart-backoff';

export const RENDERER_RELOAD_POLICY: BackoffPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 15_000,
  factor: 2,
  stableAfterMs: 60_000,
};

/** Electron's RenderProcessGoneDetails['reason']. */
export type GoneReason =
  | 'clean-exit'
  | 'abnormal-exit'
  | 'killed'
  | 'crashed'
  | 'oom'
  | 'launch-failed'
  | 'integrity-failure'
  | 'memory-eviction';

export interface RecoveryState {
  failures: number;
  lastLoadAt: number;
}

export interface RecoveryDecision {
  action: 'reload' | 'ignore';
  delayMs: number;
  state: RecoveryState;
}

export function decideRecovery(
  reason: GoneReason,
  state: RecoveryState,
  now: number,
  policy: BackoffPolicy = RENDERER_RELOAD_POLICY,
): RecoveryDecision {
  // A clean exit happens when we close the window ourselves: nothing to recover.
  if (reason === 'clean-exit') return { action: 'ignore', delayMs: 0, state };
  const failures = failuresAfterDeath(state.failures, now - state.lastLoadAt, policy);
  return {
    action: 'reload',
    delayMs: restartDelay(failures, policy),
    state: { failures, lastLoadAt: state.lastLoadAt },
  };
}
