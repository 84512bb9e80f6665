// A kiosk agent process for the next-day crash test: the production startAgent (same database,
// sync loop and API as `guichet agent`), with two test knobs the CLI does not have:
// - its clock starts at NEXT_DAY_AGENT_NOW (ms) and runs at real speed from there, so a test can
//   start it at 23:50 and again, after a SIGKILL, at 00:05;
// - short sync timings, so "pushed once the hub is back" is measured in milliseconds.
// Configured by environment (NEXT_DAY_AGENT_*); prints the CLI's "listening" line.
import path from 'node:path';
import type { Clock } from '../../hub/clock';
import { startAgent } from '../../hub/agent/run-agent';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const startsAt = Number(env('NEXT_DAY_AGENT_NOW'));
const realStart = Date.now();
const clock: Clock = { now: () => startsAt + (Date.now() - realStart) };

const dataDir = env('NEXT_DAY_AGENT_DATA');
const running = await startAgent({
  dataDir,
  hubUrl: env('NEXT_DAY_AGENT_HUB'),
  token: env('NEXT_DAY_AGENT_TOKEN'),
  port: 0,
  screensDir: path.join(dataDir, 'no-screens'),
  logger: { level: 'error' },
  clock,
  intervalMs: 200,
  retryDelay: () => 50,
  blockSize: 10,
});
console.log(`Guichet agent listening on ${running.url}`);

const stop = () => {
  void running.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
