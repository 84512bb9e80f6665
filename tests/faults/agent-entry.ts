// The kiosk agent process of the fault suite: the production startAgent (same API, database, sync
// loop and forward as `guichet agent`), with the test knobs the CLI does not have:
// - sync timings shortened like hub-entry.ts (a round every FAULT_AGENT_INTERVAL_MS, retries
//   within 200 ms), so "agreed within 5 s of the heal" measures the protocol, not a 10 s timer;
// - the forward timeout (FAULT_AGENT_FORWARD_TIMEOUT_MS; production 3 s), so the proxy's delays
//   can outlast it without making every run long;
// - the block size (FAULT_AGENT_BLOCK_SIZE), small so blocks are topped up during a run;
// - a clock the parent moves by IPC ({clockOffsetMs}), for clock jumps of up to ±10 minutes.
// Configured by environment (FAULT_AGENT_*); prints the CLI's "listening" line.
import path from 'node:path';
import { z } from 'zod';
import { startAgent } from '../../hub/agent/run-agent';
import { ipcClock } from './ipc-clock';

const Env = z.object({
  FAULT_AGENT_DATA: z.string().min(1),
  FAULT_AGENT_PORT: z.coerce.number().int().min(1).max(65_535),
  FAULT_AGENT_HUB: z.url(),
  FAULT_AGENT_TOKEN: z.string().min(1),
  FAULT_AGENT_CLOCK_OFFSET_MS: z.coerce.number().int().default(0),
  FAULT_AGENT_FORWARD_TIMEOUT_MS: z.coerce.number().int().min(50).default(3_000),
  FAULT_AGENT_INTERVAL_MS: z.coerce.number().int().min(10).default(250),
  FAULT_AGENT_BLOCK_SIZE: z.coerce.number().int().min(2).default(10),
});
const env = Env.parse(process.env);

const clock = ipcClock(env.FAULT_AGENT_CLOCK_OFFSET_MS);

const running = await startAgent({
  dataDir: env.FAULT_AGENT_DATA,
  hubUrl: env.FAULT_AGENT_HUB,
  token: env.FAULT_AGENT_TOKEN,
  host: '127.0.0.1',
  port: env.FAULT_AGENT_PORT,
  screensDir: path.join(env.FAULT_AGENT_DATA, 'no-screens'),
  // Warnings too (a failed sync round says why): the run reports them when the agent never
  // reaches its hub.
  logger: { level: 'warn' },
  clock,
  intervalMs: env.FAULT_AGENT_INTERVAL_MS,
  retryDelay: (attempt: number) => Math.min(200, 20 * 2 ** attempt),
  blockSize: env.FAULT_AGENT_BLOCK_SIZE,
  forwardTimeoutMs: env.FAULT_AGENT_FORWARD_TIMEOUT_MS,
});
console.log(`Guichet agent listening on ${running.url}`);

const stop = () => {
  void running.stop().then(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
process.once('disconnect', stop);
