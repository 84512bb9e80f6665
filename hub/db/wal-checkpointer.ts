// WAL checkpoints off the request path. By default SQLite checkpoints inside the commit that
// pushes the WAL past 1,000 pages: that commit copies the pages into the database file and
// fsyncs it, on the event loop, so one visitor in a few hundred waits several milliseconds for
// a ticket. The running hub instead turns automatic checkpoints off on its connection and lets a
// worker thread with its own connection run PASSIVE checkpoints (never waiting on readers or
// writers) every few hundred milliseconds. If the worker cannot start or dies, the connection
// goes back to automatic checkpoints, so the WAL never grows without bound.
//
// Why the hub's own connection still finishes some checkpoints: SQLite starts the WAL over from
// its first frame only when a write begins with every frame already copied. A worker copying
// while tickets keep coming never gets there (frames land during its copy), so under a steady
// flow the WAL grew by every page of every commit, ~64 KB a ticket, and every commit appended
// to a growing file (a slower fsync: the file's size is journalled too). So the worker repeats
// its pass until few frames arrived during the last one, and if any did, tells the hub, whose
// connection, between two requests, copies that short tail: the next commit then restarts the
// WAL. Under a light flow the worker's pass catches everything and the hub does nothing; under a
// flood the worker cannot outrun, a tail too long to copy in a millisecond or two waits for it.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Db } from './open-database';

/** SQLite's own default, restored whenever the worker is not running. */
export const AUTO_CHECKPOINT_PAGES = 1000;

export interface CheckpointerOptions {
  /** Pause between two checkpoints. */
  intervalMs?: number;
  /** Told when the worker fails (the hub logs it); checkpoints are back on the connection then. */
  onFailure?: (error: Error) => void;
  /** Told when the connection fails to copy a tail (the hub logs it); the worker carries on. */
  onTailFailure?: (error: Error) => void;
  /**
   * The longest tail, in frames, the connection copies itself; a longer one (a flood the worker
   * could not catch up with) is left to the worker's next round, so a request never waits behind
   * a long copy. Default MAX_TAIL_ON_CONNECTION.
   */
  maxTailFrames?: number;
}

/** The worker stops repeating its pass once no more than this many frames arrived during one. */
const TAIL_FRAMES = 64;
/** Passes per checkpoint at most: under a flood, the rest waits for the next interval. */
const MAX_PASSES = 8;
/** 1 MB of pages: with its two fsyncs, a copy of a millisecond or two on the dev machine. */
const MAX_TAIL_ON_CONNECTION = 4 * TAIL_FRAMES;

/** What the worker reports after each checkpoint that moved pages, and when it is ready. */
const WorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('checkpoint'),
    /** Frames in the WAL, and how many of them are now in the database file. */
    log: z.number().int(),
    checkpointed: z.number().int(),
    /** Frames written during the worker's last pass, which it did not copy. */
    tail: z.number().int().nonnegative(),
  }),
]);
type WorkerMessage = z.infer<typeof WorkerMessage>;

export interface CheckpointStats {
  /** Checkpoints that moved at least one page. */
  runs: number;
  lastLog: number;
  lastCheckpointed: number;
  /** Tails the hub's own connection copied after the worker's pass. */
  tails: number;
}

// Plain JavaScript evaluated in the worker: no TypeScript loader is needed there, and the
// Electron bundle has no extra file to ship. The driver's path comes from the main thread.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
// SQLite's errors lose their message on the way to the main thread: plain Errors keep it.
const plain = (what, error) => new Error(what + ': ' + (error && error.message));
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
  db.pragma('synchronous = FULL');
} catch (error) {
  throw plain('cannot open ' + workerData.file, error);
}
let timer;
const tick = () => {
  // A pass reports the WAL as it was when the pass began: the next pass shows what came since.
  let row;
  let tail = 0;
  try {
    [row] = db.pragma('wal_checkpoint(PASSIVE)');
    for (let pass = 1; row && row.checkpointed > 0 && pass < workerData.maxPasses; pass++) {
      const [next] = db.pragma('wal_checkpoint(PASSIVE)');
      // A log shorter than before: the hub started the WAL over meanwhile.
      tail = next.log >= row.log ? next.log - row.log : next.log;
      row = next;
      if (tail <= workerData.tailFrames) break;
    }
  } catch (error) {
    throw plain('checkpoint failed', error);
  }
  if (row && row.checkpointed > 0)
    parentPort.postMessage({ type: 'checkpoint', log: row.log, checkpointed: row.checkpointed, tail });
  timer = setTimeout(tick, workerData.intervalMs);
};
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearTimeout(timer);
  db.close();
  parentPort.close();
});
parentPort.postMessage({ type: 'ready' });
timer = setTimeout(tick, workerData.intervalMs);
`;

export class WalCheckpointer {
  private worker: Worker | null = null;
  private readonly stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0, tails: 0 };
  private stopping = false;

  private constructor(
    private readonly db: Db,
    private readonly onFailure: (error: Error) => void,
    private readonly onTailFailure: (error: Error) => void,
    private readonly maxTailFrames: number,
  ) {}

  /**
   * Starts the worker on `db`'s file and, once it has opened the database, turns automatic
   * checkpoints off on `db`. Resolves either way: a worker that fails leaves them on.
   */
  static async start(db: Db, options: CheckpointerOptions = {}): Promise<WalCheckpointer> {
    const checkpointer = new WalCheckpointer(
      db,
      options.onFailure ?? (() => undefined),
      options.onTailFailure ?? (() => undefined),
      options.maxTailFrames ?? MAX_TAIL_ON_CONNECTION,
    );
    if (db.memory) return checkpointer;
    await checkpointer.spawn(options.intervalMs ?? 250);
    return checkpointer;
  }

  get running(): boolean {
    return this.worker !== null;
  }

  snapshot(): CheckpointStats {
    return { ...this.stats };
  }

  /** Stops the worker (it closes its connection) and gives checkpoints back to `db`. */
  async stop(): Promise<void> {
    this.stopping = true;
    const worker = this.worker;
    this.worker = null;
    this.restoreAutomatic();
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage('stop');
    await exited;
  }

  private spawn(intervalMs: number): Promise<void> {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        file: this.db.name,
        driver,
        intervalMs,
        maxPasses: MAX_PASSES,
        tailFrames: TAIL_FRAMES,
      },
    });
    return new Promise<void>((resolve) => {
      const fail = (error: Error) => {
        if (this.worker === worker) this.worker = null;
        this.restoreAutomatic();
        if (!this.stopping) this.onFailure(error);
        resolve();
      };
      worker.on('message', (raw: unknown) => {
        const parsed = WorkerMessage.safeParse(raw);
        if (!parsed.success) return;
        this.handle(parsed.data, worker, resolve);
      });
      worker.once('error', (error: unknown) =>
        fail(error instanceof Error ? error : new Error(String(error))),
      );
      worker.once('exit', (code) => {
        if (this.worker === worker || !this.stopping)
          fail(new Error(`the WAL checkpoint worker exited (code ${code})`));
      });
    });
  }

  private handle(message: WorkerMessage, worker: Worker, ready: () => void): void {
    if (message.type === 'ready') {
      if (this.stopping) return ready();
      this.worker = worker;
      this.db.pragma('wal_autocheckpoint = 0');
      return ready();
    }
    this.stats.runs += 1;
    this.stats.lastLog = message.log;
    this.stats.lastCheckpointed = message.checkpointed;
    if (message.tail > 0 && message.tail <= this.maxTailFrames) this.copyTail();
  }

  /** Copies what the worker left, so the next commit starts the WAL over (see the top). */
  private copyTail(): void {
    // Messages arrive between two tasks of the event loop, so never inside a transaction; the
    // check guards a caller that would one day hold one across an await.
    if (!this.db.open || this.db.inTransaction || this.stopping) return;
    try {
      this.db.pragma('wal_checkpoint(PASSIVE)');
      this.stats.tails += 1;
    } catch (error) {
      this.onTailFailure(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private restoreAutomatic(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
