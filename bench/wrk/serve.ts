// Starts the issuance benchmark's two servers for an outside load tool (wrk, a C client lighter
// than any Node one): a bench hub (demo branch, capacity lifted) and the durable floor server.
// Prints {"hub","kiosk","floor"} on one line and serves until Ctrl-C. docs/benchmarks.md,
// "Third run", has the wrk commands (bench/wrk/tickets.lua, bench/wrk/floor.lua).
import { rmSync } from 'node:fs';
import { freshDir, startBenchHub } from '../fixtures';
import { startFloorServer } from '../floor-process';

const hub = await startBenchHub('wrk');
const floorDir = freshDir('wrk-floor');
const floor = await startFloorServer(floorDir);
console.log(JSON.stringify({ hub: hub.url, kiosk: hub.tokens.kiosk, floor: floor.url }));
process.once('SIGINT', () => {
  void Promise.all([hub.dispose(), floor.stop()]).then(() => {
    rmSync(floorDir, { recursive: true, force: true });
    process.exit(0);
  });
});
