// Opening the branch database: durability settings that must hold on every open, then migrations.
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
