// WAL checkpoints off the request path. By default SQLite checkpoints inside the commit that
// pushes the WAL past 1,000 pages: that commit copies the pages into the database file and
// fsyncs it, on the event loop, so one visitor in a few hundred waits several milliseconds for
// a ticket. The running hub instead turns automatic checkpoints off on its connection and lets a
// worker thread with its own connection run PASSIVE checkpoints (never waiting on readers or
// writers) every few hundred milliseconds. If the worker cannot start or dies, the connection
// goes back to automatic checkpoints, so the WAL never grows without bound.
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
}

/** What the worker reports after each checkpoint that moved pages, and when it is ready. */
const WorkerMessage = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready') }),
  z.object({
    type: z.literal('checkpoint'),
    /** Frames in the WAL, and how many of them are now in the database file. */
    log: z.number().int(),
    checkpointed: z.number().int(),
  }),
]);
type WorkerMessage = z.infer<typeof WorkerMessage>;

export interface CheckpointStats {
  /** Checkpoints that moved at least one page. */
  runs: number;
  lastLog: number;
  lastCheckpointed: number;
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
  let row;
  try {
    [row] = db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    throw plain('checkpoint failed', error);
  }
  if (row && row.checkpointed > 0)
    parentPort.postMessage({ type: 'checkpoint', log: row.log, checkpointed: row.checkpointed });
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
  private readonly stats: CheckpointStats = { runs: 0, lastLog: 0, lastCheckpointed: 0 };
  private stopping = false;

  private constructor(
    private readonly db: Db,
    private readonly onFailure: (error: Error) => void,
  ) {}

  /**
   * Starts the worker on `db`'s file and, once it has opened the database, turns automatic
   * checkpoints off on `db`. Resolves either way: a worker that fails leaves them on.
   */
  static async start(db: Db, options: CheckpointerOptions = {}): Promise<WalCheckpointer> {
    const checkpointer = new WalCheckpointer(db, options.onFailure ?? (() => undefined));
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
      workerData: { file: this.db.name, driver, intervalMs },
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
  }

  private restoreAutomatic(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
  }
}
