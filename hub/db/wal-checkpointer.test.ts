import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, writeTransaction, type Db } from './open-database';
import { AUTO_CHECKPOINT_PAGES, WalCheckpointer } from './wal-checkpointer';

let dir: string;
let db: Db;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guichet-ckpt-'));
  db = openDatabase(path.join(dir, 'hub.db'), { migrate: false });
  db.exec('CREATE TABLE rows (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)');
});
afterEach(() => {
  if (db.open) db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One durable commit per row, each about a page: enough to pass SQLite's own threshold. */
function writeRows(count: number, from = 0): void {
  const insert = db.prepare('INSERT INTO rows (id, payload) VALUES (?, ?)');
  for (let i = from; i < from + count; i++)
    writeTransaction(db, () => insert.run(i, 'x'.repeat(3000)));
}

describe('WalCheckpointer', () => {
  it('takes checkpoints off the connection and copies the WAL into the database file itself', async () => {
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(AUTO_CHECKPOINT_PAGES);
    const checkpointer = await WalCheckpointer.start(db, { intervalMs: 20 });
    try {
      expect(checkpointer.running).toBe(true);
      expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      const before = statSync(db.name).size;
      writeRows(1500);
      // The worker catches up with everything written so far (nothing else writes).
      await vi.waitFor(
        () => {
          const stats = checkpointer.snapshot();
          expect(stats.runs).toBeGreaterThan(0);
          expect(stats.lastCheckpointed).toBe(stats.lastLog);
          expect(statSync(db.name).size).toBeGreaterThan(before + 1500 * 3000);
        },
        { timeout: 10_000, interval: 20 },
      );
    } finally {
      await checkpointer.stop();
    }
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(AUTO_CHECKPOINT_PAGES);
    db.close();
    const reopened = openDatabase(path.join(dir, 'hub.db'), { migrate: false });
    expect(reopened.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 1500 });
    expect(reopened.pragma('integrity_check', { simple: true })).toBe('ok');
    reopened.close();
  });

  it('never blocks writers: commits go on while the worker checkpoints', async () => {
    const checkpointer = await WalCheckpointer.start(db, { intervalMs: 1 });
    try {
      for (let round = 0; round < 5; round++) writeRows(300, round * 300);
      expect(db.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: 1500 });
    } finally {
      await checkpointer.stop();
    }
  });

  /** 3,000 commits of most of a 4 KB page each, with a turn of the event loop between two (as between requests). */
  async function steadyFlow(
    checkpointer: WalCheckpointer,
  ): Promise<{ walBytes: number; rows: number }> {
    const rows = 3000;
    try {
      for (let i = 0; i < rows; i++) {
        writeRows(1, i);
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      await checkpointer.stop();
    }
    expect(db.prepare('SELECT COUNT(*) AS n FROM rows').get()).toEqual({ n: rows });
    return { walBytes: statSync(`${db.name}-wal`).size, rows };
  }

  it('starts the WAL over under a steady flow of commits, where the worker alone never catches up', async () => {
    const { walBytes, rows } = await steadyFlow(
      await WalCheckpointer.start(db, { intervalMs: 20 }),
    );
    // A WAL never started over would hold every row (≥ 12 MB).
    expect(walBytes).toBeLessThan((rows * 4096) / 3);
  });

  it('leaves a tail longer than it may copy on the connection to the worker', async () => {
    // No tail is short enough: the worker ran and left tails, the connection copied none.
    const checkpointer = await WalCheckpointer.start(db, { intervalMs: 20, maxTailFrames: 0 });
    await steadyFlow(checkpointer);
    expect(checkpointer.snapshot().runs).toBeGreaterThan(0);
    expect(checkpointer.snapshot().tails).toBe(0);
  });

  it('leaves automatic checkpoints on, and says why, when the worker cannot open the database', async () => {
    // The file is gone from the folder (still open here): the worker opens files that exist only.
    const orphan = openDatabase(path.join(dir, 'orphan.db'), { migrate: false });
    rmSync(orphan.name);
    const failures: Error[] = [];
    const checkpointer = await WalCheckpointer.start(orphan, {
      onFailure: (error) => failures.push(error),
    });
    expect(checkpointer.running).toBe(false);
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toMatch(/cannot open .*orphan\.db: unable to open/);
    expect(orphan.pragma('wal_autocheckpoint', { simple: true })).toBe(AUTO_CHECKPOINT_PAGES);
    await checkpointer.stop();
    orphan.close();
  });

  it('does nothing for an in-memory database, which has no WAL', async () => {
    const memory = new Database(':memory:');
    const checkpointer = await WalCheckpointer.start(memory);
    expect(checkpointer.running).toBe(false);
    expect(memory.pragma('wal_autocheckpoint', { simple: true })).toBe(AUTO_CHECKPOINT_PAGES);
    await checkpointer.stop();
    memory.close();
  });
});
