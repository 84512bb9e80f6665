// The hub process of the fault suite: the production startHub (same API, database and SyncClient
// as `guichet hub --central …`), with two test knobs the CLI does not have:
// - sync timings shortened like tests/sync (the production backoff may wait up to 60 s, which
//   "converged within 5 s of the heal" could never be measured against);
// - a clock the parent moves by IPC ({clockOffsetMs}), for clock jumps of up to ±10 minutes.
// Configured by environment (FAULT_HUB_*; without FAULT_HUB_CENTRAL the hub is not linked, for
// the kiosk agent's tests); prints the CLI's "listening" line.
import path from 'node:path';
import { z } from 'zod';
import { ipcClock } from './ipc-clock';
import { startHub } from '../../hub/run-hub';

const Env = z
  .object({
    FAULT_HUB_DATA: z.string().min(1),
    FAULT_HUB_PORT: z.coerce.number().int().min(1).max(65_535),
    // Empty: the hub is not linked (the kiosk agent's tests).
    FAULT_HUB_CENTRAL: z.union([z.literal(''), z.url()]).default(''),
    FAULT_HUB_TOKEN: z.string().default(''),
    FAULT_HUB_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  })
  .refine((e) => e.FAULT_HUB_CENTRAL === '' || e.FAULT_HUB_TOKEN !== '', {
    message: 'FAULT_HUB_TOKEN is required with FAULT_HUB_CENTRAL',
  });
const env = Env.parse(process.env);

const clock = ipcClock(env.FAULT_HUB_CLOCK_OFFSET_MS);

const dataDir = env.FAULT_HUB_DATA;
const running = await startHub({
  dataDir,
  host: '127.0.0.1',
  port: env.FAULT_HUB_PORT,
  screensDir: path.join(dataDir, 'no-screens'),
  ...(env.FAULT_HUB_CENTRAL
    ? { central: { url: env.FAULT_HUB_CENTRAL, token: env.FAULT_HUB_TOKEN } }
    : {}),
  syncTiming: {
    intervalMs: 1_000,
    debounceMs: 5,
    retryDelay: (attempt: number) => Math.min(200, 20 * 2 ** attempt),
  },
  clock,
  // Warnings and errors (a failed sync round, a 5xx) on stdout: a failed run reports the last ones.
  logger: { level: 'warn' },
});
console.log(`Guichet hub listening on ${running.url}`);

const stop = () => {
  void running.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
