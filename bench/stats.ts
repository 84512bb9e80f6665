// Shared by every benchmark: the clock, nearest-rank percentiles, timing loops with warm-up, the
// result shape, machine info and the printed table. Benchmarks only produce samples.
import os from 'node:os';

/** Monotonic milliseconds with sub-microsecond resolution. */
export const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/**
 * Nearest-rank percentile of an ascending array: the smallest sample such that at least p% of
 * the samples are ≤ it (rank ⌈p/100·n⌉). No interpolation, so it is always a measured value.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile out of range: ${p}`);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export interface LatencySummary {
  n: number;
  p50: number;
  p99: number;
  min: number;
  max: number;
  mean: number;
}

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    min: sorted[0]!,
    max: sorted[sorted.length - 1]!,
    mean: sum / sorted.length,
  };
}

/** Times `count` calls of `fn` one after another, numbered on from `first`, into `samples`. */
async function timeCalls(
  fn: (i: number) => Promise<unknown> | unknown,
  first: number,
  count: number,
  samples: number[],
): Promise<void> {
  for (let i = first; i < first + count; i++) {
    const t0 = nowMs();
    await fn(i);
    samples.push(nowMs() - t0);
  }
}

/** Runs `fn` `warmup` times untimed, then `n` times timed one after another; returns the samples. */
export async function timeSequential(
  n: number,
  warmup: number,
  fn: (i: number) => Promise<unknown> | unknown,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const samples: number[] = [];
  await timeCalls(fn, warmup, n, samples);
  return samples;
}

/**
 * Runs `fn` one call after another, untimed, for `seconds`; returns how many calls that was.
 *
 * Why a warm-up by time and not by count: V8 goes on compiling hot functions (TurboFan, on worker
 * threads) for 15–20 s after a Node process starts taking requests, and on a 2-core machine each
 * compile job takes a core from the client or the server for a few milliseconds (perf sched on the
 * dev VM: wrk delayed 3.3 ms behind a V8 worker). The p99 of a hub's first seconds measures its
 * start-up; a branch's hub runs all day. docs/benchmarks.md, "Seventh run", has the figures.
 */
export async function settle(
  seconds: number,
  fn: (i: number) => Promise<unknown> | unknown,
): Promise<number> {
  const until = nowMs() + seconds * 1000;
  let calls = 0;
  while (nowMs() < until) await fn(calls++);
  return calls;
}

/** One series of an interleaved measurement: its calls are numbered 0, 1, 2… across all blocks. */
export type SeriesCall = (i: number) => Promise<unknown> | unknown;

export interface InterleaveOptions {
  /** Timed calls per series, in all. */
  n: number;
  /** Timed calls per block; the last block of a series may be shorter. */
  block: number;
  /** Untimed calls at the start of every block, after the switch from another series. */
  warmupPerBlock: number;
}

/**
 * Times several series in turns of one block each, until each has `n` samples; returns each
 * series' samples in the order given. Round r starts with series r mod k, so no series always
 * follows the same one.
 *
 * Why: a target compares two series' p99s (the hub's and a baseline's), and on a shared VM the
 * tail of either drifts by 2–4× over a minute (steal time, the host's disk). Measured one after
 * the other, a comparison reads the drift between the two minutes; in turns of a block each,
 * both see the same minutes. The calls number on from `start` (a series' settle count), so a
 * numbered row (an idempotency key) never repeats.
 */
export async function timeInterleaved(
  series: readonly { call: SeriesCall; start: number }[],
  options: InterleaveOptions,
): Promise<number[][]> {
  const { n, block, warmupPerBlock } = options;
  if (!(block > 0)) throw new RangeError(`block must be positive: ${block}`);
  const samples = series.map((): number[] => []);
  const next = series.map((s) => s.start);
  for (let round = 0; samples.some((s) => s.length < n); round++) {
    for (let turn = 0; turn < series.length; turn++) {
      const k = (round + turn) % series.length;
      const { call } = series[k]!;
      const mine = samples[k]!;
      if (mine.length >= n) continue;
      for (let w = 0; w < warmupPerBlock; w++) await call(next[k]!++);
      const size = Math.min(block, n - mine.length);
      await timeCalls(call, next[k]!, size, mine);
      next[k]! += size;
    }
  }
  return samples;
}

/**
 * Keeps `inFlight` calls running until `n` have completed (after `warmup` untimed ones, run the
 * same way). Returns every call's latency and the throughput of the timed part.
 */
export async function timeConcurrent(
  n: number,
  warmup: number,
  inFlight: number,
  fn: (i: number) => Promise<unknown>,
): Promise<{ samples: number[]; perSec: number; elapsedMs: number }> {
  const drive = async (count: number, offset: number, samples: number[] | null) => {
    let nextIndex = 0;
    const worker = async () => {
      while (nextIndex < count) {
        const i = offset + nextIndex++;
        const t0 = nowMs();
        await fn(i);
        samples?.push(nowMs() - t0);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, worker));
  };
  await drive(warmup, 0, null);
  const samples: number[] = [];
  const t0 = nowMs();
  await drive(n, warmup, samples);
  const elapsedMs = nowMs() - t0;
  return { samples, perSec: (n / elapsedMs) * 1000, elapsedMs };
}

export interface Target {
  /** The rule, e.g. "p99 ≤ 2 ms". */
  rule: string;
  /** What was compared, e.g. "p99 1.42 ms". */
  actual: string;
  met: boolean;
}

export interface BenchResult {
  id: string;
  title: string;
  latency?: LatencySummary;
  throughputPerSec?: number;
  /** How the samples were taken (what the clock starts and stops on). */
  method: string;
  target?: Target;
  /** Free-form figures worth keeping (ratios, counts). */
  extra?: Record<string, number | string>;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  platform: string;
  totalMemGiB: number;
  loadAvgAtStart: number[];
  loadAvgAtEnd?: number[];
  tmpdir: string;
  date: string;
  /** `--pin`: hub processes on the last CPU, the bench process on the others. */
  pinned?: boolean;
}

export function machineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    loadAvgAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    tmpdir: os.tmpdir(),
    date: new Date().toISOString(),
  };
}

const ms = (x: number | undefined) => (x === undefined ? '' : x < 10 ? x.toFixed(3) : x.toFixed(1));

export function formatMachine(m: MachineInfo): string {
  return [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.totalMemGiB} GiB, ${m.platform}, node ${m.node}`,
    `data folders under ${m.tmpdir}; load average at start ${m.loadAvgAtStart.join(' / ')}` +
      (m.loadAvgAtEnd ? `, at end ${m.loadAvgAtEnd.join(' / ')}` : ''),
    ...(m.pinned ? ['--pin: hub processes on the last CPU, this client on the others'] : []),
  ].join('\n');
}

export function formatTable(results: readonly BenchResult[]): string {
  const header = ['benchmark', 'n', 'p50 ms', 'p99 ms', 'max ms', 'ops/s', 'target'];
  const rows = results.map((r) => [
    r.title,
    r.latency ? String(r.latency.n) : '',
    ms(r.latency?.p50),
    ms(r.latency?.p99),
    ms(r.latency?.max),
    r.throughputPerSec === undefined ? '' : r.throughputPerSec.toFixed(0),
    r.target ? `${r.target.met ? 'MET' : 'NOT MET'}: ${r.target.rule} (${r.target.actual})` : '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const numeric = new Set([1, 2, 3, 4, 5]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** Formats a millisecond figure for target lines. */
export const fmtMs = (x: number): string => `${ms(x)} ms`;
