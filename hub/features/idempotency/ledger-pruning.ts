// Prunes the Idempotency-Key ledger in the background: at start, then every hour, in short steps
// with a turn of the event loop between two, so requests are served in between.
import type { IdempotencyStore } from './idempotency-store';
import type { HubLog } from '../../hub-log';

const HOUR_MS = 3600 * 1000;

export interface LedgerPruning {
  /** Resolves when the current round (if any) has stopped. */
  stop(): Promise<void>;
  /** Rounds finished so far (tests wait on it). */
  readonly rounds: number;
}

export function startLedgerPruning(
  ledger: IdempotencyStore,
  log: HubLog,
  intervalMs = HOUR_MS,
): LedgerPruning {
  let stopped = false;
  let rounds = 0;
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> = Promise.resolve();

  const round = async (): Promise<void> => {
    let pruned = 0;
    try {
      for (let step = ledger.pruneStep(); step > 0 && !stopped; step = ledger.pruneStep()) {
        pruned += step;
        await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      // A failed step deleted nothing (its own transaction): the next round tries again.
      log.warn({ err: error }, 'pruning the Idempotency-Key ledger failed');
    }
    if (pruned > 0) log.info({ pruned }, 'pruned expired Idempotency-Key answers');
    rounds += 1;
    if (!stopped) timer = setTimeout(() => (current = round()), intervalMs).unref();
  };
  current = round();

  return {
    get rounds() {
      return rounds;
    },
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await current;
    },
  };
}
