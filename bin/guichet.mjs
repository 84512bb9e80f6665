#!/usr/bin/env node
// Entry point of the `guichet` command. The sources are TypeScript, run through tsx's loader so
// the repository needs no build step for the hub and its tools.
import { setFlagsFromString } from 'node:v8';
import { register } from 'tsx/esm/api';

// tsx's loader runs on a thread of its own with its own V8 heap, idle once the hub has started.
// V8's memory reducer then shrinks that heap with two full collections (10–12 ms each, on a core
// the hub's requests need) at some point 15–35 s after start: under a steady load, the only
// full collections in the process (--trace-gc; docs/benchmarks.md, "Tenth run"). Set before the
// loader's heap is made, this keeps it from being scheduled there; it costs that idle heap ~7 MB.
setFlagsFromString('--no-memory-reducer');
register();
const { main } = await import('../hub/cli/main.ts');
await main(process.argv);
