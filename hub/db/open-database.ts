// Opening the branch database: durability settings that must hold on every open, the WAL's
// checkpoint size, then migrations.
import Database from 'better-sqlite3';
import { migrate } from './migrations';

export type Db = Database.Database;

export class DatabaseSettingError extends Error {
  constructor(setting: string, expected: string | number, actual: unknown) {
    super(
      `SQLite refused ${setting}=${expected} (reads back ${String(actual)}); tickets would not be durable`,
    );
    this.name = 'DatabaseSettingError';
  }
}

/**
 * WAL pages after which the commit that passes them copies the WAL into the database file (a
 * checkpoint, SQLite's own, on the writing connection) and the next one starts the WAL over.
 * SQLite's default is 1,000: with a command writing ~11 pages, one request in ~90 waited for a
 * copy, enough to be the p99. 4,000 (16 MB) makes it one in ~360, under the 1 % a p99 sees,
 * and keeps the WAL inside the first of SQLite's WAL-index hash tables (4,062 frames), which
 * every page read searches. The copy stays on the connection on purpose: the hub's earlier
 * worker thread, copying beside the requests, slowed every commit it overlapped, and under a
 * steady flow the WAL could only start over when the hub's own connection finished the copy
 * anyway (docs/benchmarks.md, "Ninth run").
 */
export const WAL_CHECKPOINT_PAGES = 4000;

export interface OpenOptions {
  /** How long a writer waits for another connection's lock before failing. */
  busyTimeoutMs?: number;
  /** Skip migrations: only for migration tests that step through versions themselves. */
  migrate?: boolean;
}

/**
 * Opens (creating if needed) a branch database with WAL and synchronous=FULL. better-sqlite3 is
 * built with synchronous=NORMAL as the WAL default, which may lose the last committed tickets on
 * power loss, so each setting is written and then read back: a database that will not hold them
 * is refused rather than used quietly.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file);
  try {
    applyDurabilitySettings(db, options.busyTimeoutMs ?? 5000);
    if (options.migrate !== false) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function applyDurabilitySettings(db: Db, busyTimeoutMs: number): void {
  const journal = db.pragma('journal_mode = WAL', { simple: true });
  if (String(journal).toLowerCase() !== 'wal')
    throw new DatabaseSettingError('journal_mode', 'wal', journal);
  db.pragma('synchronous = FULL');
  expectPragma(db, 'synchronous', 2); // 2 = FULL
  db.pragma('foreign_keys = ON');
  expectPragma(db, 'foreign_keys', 1);
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  expectPragma(db, 'busy_timeout', Math.trunc(busyTimeoutMs));
  db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  expectPragma(db, 'wal_autocheckpoint', WAL_CHECKPOINT_PAGES);
}

function expectPragma(db: Db, name: string, expected: number): void {
  const actual = db.pragma(name, { simple: true });
  if (actual !== expected) throw new DatabaseSettingError(name, expected, actual);
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two writers
 * never both read a state and then race to write it (no SQLITE_BUSY upgrade deadlocks either).
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return transactionRunner(db).immediate(fn) as T;
}

/**
 * One transaction wrapper per connection, taking the body as its argument: `db.transaction(fn)`
 * builds a new wrapper (four functions and their properties) on every call, and every ticket
 * goes through here.
 */
const runners = new WeakMap<Db, Database.Transaction<(body: () => unknown) => unknown>>();

function transactionRunner(db: Db): Database.Transaction<(body: () => unknown) => unknown> {
  let runner = runners.get(db);
  if (!runner) {
    runner = db.transaction((body: () => unknown) => body());
    runners.set(db, runner);
  }
  return runner;
}
