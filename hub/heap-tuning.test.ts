// The hub turns V8's allocation-site pretenuring and parallel scavenging off at run time
// (heap-tuning.ts). A Node whose V8 froze its flags after start-up would ignore that without a
// word, and a start path that skipped it would too: the first two tests run real Node processes
// with V8's own traces, the last checks that startHub applies the tuning before it serves.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startTestHub, type TestHub } from '../tests/support/test-hub';

const tuning = vi.hoisted(() => ({ applied: 0 }));
vi.mock('./heap-tuning', async (importOriginal) => {
  const original = await importOriginal<typeof import('./heap-tuning')>();
  return {
    ...original,
    applyHubHeapTuning: () => {
      tuning.applied += 1;
    },
  };
});

const HEAP_TUNING = path.join(path.dirname(fileURLToPath(import.meta.url)), 'heap-tuning.ts');

// Object literals that all survive their first scavenge: V8 gathers pretenuring feedback on
// them at every scavenge, unless pretenuring is off. `gc()` before the loop leaves a
// "testing" collection in the trace, so what start-up printed is told apart.
const WORKLOAD = `
const { applyHubHeapTuning } = await import(process.env.HEAP_TUNING);
if (process.env.APPLY === '1') applyHubHeapTuning();
globalThis.gc();
const ring = new Array(50_000);
for (let i = 0; i < 3_000_000; i++) ring[i % 50_000] = { i, at: i * 2, items: [i] };
`;

/**
 * Runs the workload in a fresh Node with V8's GC trace and `traceFlag`, and returns the trace's
 * lines after the marker collection.
 */
function traceWorkload(apply: boolean, traceFlag: string): Promise<string[]> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--expose-gc',
      '--trace-gc',
      traceFlag,
      '--input-type=module',
      '--eval',
      WORKLOAD,
    ],
    {
      env: { ...process.env, HEAP_TUNING, APPLY: apply ? '1' : '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  return new Promise((resolve, reject) => {
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`workload exited with ${code}: ${err}`));
      const lines = out.split('\n');
      const marker = lines.findIndex((line) => line.includes(' testing;'));
      if (marker < 0) return reject(new Error(`no marker collection in the trace:\n${out}`));
      resolve(lines.slice(marker + 1));
    });
  });
}

const countLines = (lines: string[], pattern: RegExp): number =>
  lines.filter((line) => pattern.test(line)).length;
const SCAVENGE = / ms: Scavenge /;

describe('the hub process heap tuning', () => {
  let hub: TestHub | undefined;
  afterEach(async () => {
    await hub?.dispose();
    hub = undefined;
  });

  it('turns pretenuring off in a running V8: no more feedback gathered once applied', async () => {
    const flag = '--trace-pretenuring-statistics';
    const [untouched, tuned] = await Promise.all([
      traceWorkload(false, flag),
      traceWorkload(true, flag),
    ]);
    // The workload does make V8 gather feedback by default (else the next line proves nothing)…
    expect(countLines(untouched, /pretenuring:/)).toBeGreaterThan(0);
    // …and collects as often with the tuning applied, but gathers none.
    expect(countLines(tuned, SCAVENGE)).toBeGreaterThanOrEqual(10);
    expect(countLines(tuned, /pretenuring:/)).toBe(0);
  });

  it('has a running V8 scavenge on the calling thread alone once applied', async () => {
    // V8 prints one line per scavenging task: more lines than scavenges means helper threads.
    const flag = '--trace-parallel-scavenge';
    const [untouched, tuned] = await Promise.all([
      traceWorkload(false, flag),
      traceWorkload(true, flag),
    ]);
    const tasks = / scavenge\[0x[0-9a-f]+\]: /;
    expect(countLines(untouched, tasks)).toBeGreaterThan(countLines(untouched, SCAVENGE));
    expect(countLines(tuned, SCAVENGE)).toBeGreaterThanOrEqual(10);
    expect(countLines(tuned, tasks)).toBe(countLines(tuned, SCAVENGE));
  });

  it('is applied by startHub', async () => {
    expect(tuning.applied).toBe(0);
    hub = await startTestHub();
    expect(tuning.applied).toBe(1);
  });
});
