// The Idempotency-Key ledger's retention, over a real SQLite file with a hand-driven clock.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../../clock';
import type { Hub } from '../../hub';
import { openDemoHubOnDisk } from '../../testing/demo-hub-on-disk';
import { LEDGER_RETENTION_MS } from './idempotency-store';
import type { HubLog } from '../../hub-log';
import { startLedgerPruning } from './ledger-pruning';

let hub: Hub;
let clock: ManualClock;
let close: () => void;
/** Commands run so far in this test: a keyed command answers with it. */
let executions: number;
const DAY_MS = 24 * 3600 * 1000;
const T0 = Date.parse('2026-11-23T08:00:00Z');

beforeEach(() => {
  ({ hub, clock, close } = openDemoHubOnDisk('ledger', T0));
  executions = 0;
});
afterEach(() => close());

const send = (key: string) =>
  hub.idempotency.run('kiosk-1', key, `POST /x ${key}`, () => ({
    statusCode: 201,
    body: { execution: ++executions },
  }));
const ledgerSize = () =>
  (hub.ctx.db.prepare('SELECT COUNT(*) AS n FROM idempotency_keys').get() as { n: number }).n;

describe('the Idempotency-Key ledger', () => {
  it(`replays an answer for ${LEDGER_RETENTION_MS / DAY_MS} days, then forgets it`, () => {
    send('old');
    clock.advance(6 * DAY_MS);
    send('recent');
    clock.set(T0 + LEDGER_RETENTION_MS + 1);

    expect(hub.idempotency.pruneStep()).toBe(1);
    expect(hub.idempotency.pruneStep()).toBe(0);
    // The recent answer still replays; the forgotten key runs its command again.
    expect(send('recent')).toMatchObject({ replayed: true, body: { execution: 2 } });
    expect(send('old')).toMatchObject({ replayed: false, body: { execution: 3 } });
  });

  it('prunes in steps that read at most a batch of the oldest rows', () => {
    for (let i = 0; i < 700; i++) send(`k${i}`);
    clock.advance(LEDGER_RETENTION_MS + 1);
    expect([1, 2, 3].map(() => hub.idempotency.pruneStep())).toEqual([500, 200, 0]);
    expect(ledgerSize()).toBe(0);
  });

  it('is pruned in the background, at start and then every interval', async () => {
    for (let i = 0; i < 3; i++) send(`first-${i}`);
    clock.advance(LEDGER_RETENTION_MS + 1);
    const info = vi.fn<HubLog['info']>();
    const log: HubLog = { info, warn: vi.fn() };
    const pruning = startLedgerPruning(hub.idempotency, log, 20);
    try {
      await vi.waitFor(() => expect(pruning.rounds).toBeGreaterThan(0));
      expect(ledgerSize()).toBe(0);
      expect(info).toHaveBeenCalledWith({ pruned: 3 }, expect.any(String));

      // Answers stored a week ago (clock set back to write them) go at a later round.
      const now = clock.now();
      clock.set(now - LEDGER_RETENTION_MS - 1);
      send('second');
      clock.set(now);
      send('kept');
      await vi.waitFor(() => expect(ledgerSize()).toBe(1));
    } finally {
      await pruning.stop();
    }
  });
});
