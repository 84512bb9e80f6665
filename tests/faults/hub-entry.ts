// The hub process of the fault suite: the production startHub (same API, database and SyncClient
// as `guichet hub --central …`), with two test knobs the CLI does not have:
// - sync timings shortened like tests/sync (the production backoff may wait up to 60 s, which
//   "converged within 5 s of the heal" could never be measured against);
// - a clock the parent moves by IPC ({clockOffsetMs}), for clock jumps of up to ±10 minutes.
// Configured by environment (FAULT_HUB_*; without FAULT_HUB_CENTRAL the hub is not linked, for
// the kiosk agent's tests); prints the CLI's "listening" line.
import path from 'node:path';
import { ipcClock } from './ipc-clock';
import { startHub } from '../../hub/run-hub';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const clock = ipcClock(Number(process.env.FAULT_HUB_CLOCK_OFFSET_MS ?? '0'));

const dataDir = env('FAULT_HUB_DATA');
const centralUrl = process.env.FAULT_HUB_CENTRAL ?? '';
const running = await startHub({
  dataDir,
  host: '127.0.0.1',
  port: Number(env('FAULT_HUB_PORT')),
  screensDir: path.join(dataDir, 'no-screens'),
  ...(centralUrl ? { central: { url: centralUrl, token: env('FAULT_HUB_TOKEN') } } : {}),
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
