// The hub process's garbage-collector settings, applied by startHub before the first request.
// (One more V8 flag is set earlier, in bin/guichet.mjs: --no-memory-reducer must be in place
// before tsx's loader thread makes its heap, which is before any hub code runs.)
//
// V8 watches whether the objects an object or array literal creates survive young-generation
// collections (scavenges), and when nearly all do it allocates that literal's objects straight into
// the old generation from then on ("allocation-site pretenuring"). A fresh hub under a steady flow
// of requests sometimes ends its start-up in a state where, for the rest of the process's life,
// each request's objects survive the scavenges: under `--trace-gc` the heap left after each
// scavenge grows by ~1.3 MB (not at all otherwise) and the pauses take ~3 ms instead of ~0.9 ms;
// `--trace-pretenuring-statistics` shows one per-request literal whose objects all survive (found =
// created) at every scavenge. Which state a hub lands in depends on which requests were in flight
// during its first collections: 6 of 18 fresh hubs started the same way (20 s of wrk on POST
// /tickets, then 5 s timed), 0 of 13 with pretenuring off; the first kind had wrk p99s of 2.9–4.2
// ms against 2.1–2.8 ms for the others. Our reading: a per-request object allocated old keeps what
// it points to alive through every scavenge until the next full collection. What it costs: an
// object that lives long is copied once more before it reaches the old generation.
// docs/benchmarks.md, "Eighth run", has the runs.
//
// V8 also splits each scavenge among helper threads. A settled hub's scavenge has almost nothing
// to copy (~3 KB of the ~13.5 MB allocated since the last one: every request's objects are dead
// by then), so the split buys nothing and its cost is waiting for the helpers to be scheduled: on
// a small machine shared with screens or a client, `--trace-gc-nvp` puts that phase at 0.20–0.28
// ms of a 0.6 ms pause. Scavenging on the hub's own thread, the same phase takes 0.05 ms and the
// pause 0.4 ms (docs/benchmarks.md, "Eleventh run"). Freeing dead buffers stays concurrent.
import { setFlagsFromString } from 'node:v8';

/** Set at run time, so every way of starting a hub (the CLI, Electron's utility process) gets them. */
const HUB_V8_FLAGS = ['--no-allocation-site-pretenuring', '--no-parallel-scavenge'] as const;

export function applyHubHeapTuning(): void {
  for (const flag of HUB_V8_FLAGS) setFlagsFromString(flag);
}
