// Starts the issuance benchmark's servers for an outside load tool (wrk, a C client lighter than
// any Node one): a bench hub (demo branch, capacity lifted) and the durable floor server, plus
// floors with the hub's WAL checkpoint size writing 2 and 16 pages per commit (a hub issue wrote
// 16 before migration 008, 11 since), the 16 in 1 KB pages, and 16 with no checkpoint at all.
// Prints {"hub","kiosk","floor","floor2h","floor16h","floor16h1k","floor16nc"} on one line and
// serves until Ctrl-C.
// docs/benchmarks.md, "Third run", "Fourth run" and "Seventh run", has the wrk commands
// (bench/wrk/tickets.lua for the hub, bench/wrk/floor.lua for the floors). Let each server settle
// (15–20 s of the same load) before timing it: see `settle` in bench/stats.ts.
import { rmSync } from 'node:fs';
import { freshDir, startBenchHub } from '../fixtures';
import { startFloorServer } from '../floor-process';

const hub = await startBenchHub('wrk');
const variants = {
  floor: {},
  floor2h: { hubCheckpoints: true },
  floor16h: { indexes: 14, hubCheckpoints: true },
  floor16h1k: { indexes: 14, hubCheckpoints: true, pageSize: 1024 },
  floor16nc: { indexes: 14, noCheckpoint: true },
};
const floors = await Promise.all(
  Object.entries(variants).map(async ([name, options]) => {
    const dir = freshDir(`wrk-${name}`);
    return { name, dir, server: await startFloorServer(dir, options) };
  }),
);
console.log(
  JSON.stringify({
    hub: hub.url,
    kiosk: hub.tokens.kiosk,
    ...Object.fromEntries(floors.map((f) => [f.name, f.server.url])),
  }),
);
process.once('SIGINT', () => {
  void Promise.all([hub.dispose(), ...floors.map((f) => f.server.stop())]).then(() => {
    for (const f of floors) rmSync(f.dir, { recursive: true, force: true });
    process.exit(0);
  });
});
