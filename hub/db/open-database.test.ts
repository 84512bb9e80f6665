import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, WAL_CHECKPOINT_PAGES, writeTransaction } from './open-database';
import { DatabaseTooNewError, SCHEMA_VERSION, schemaVersion } from './migrations';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'guichet-db-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openDatabase', () => {
  it('sets WAL, synchronous=FULL, foreign keys and a busy timeout, readable on every open', () => {
    const file = path.join(dir, 'hub.db');
    openDatabase(file).close();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_PAGES);
    db.close();
  });

  it('starts the WAL over under a steady flow of commits, at the checkpoint size', () => {
    // Commits of ~4 pages each (a 12 KB row and its table page), one after another as a busy
    // kiosk's would come: past WAL_CHECKPOINT_PAGES the committing connection copies the WAL
    // into the database and the next commit writes from its start again, so the file never
    // grows past the checkpoint size plus one commit.
    const file = path.join(dir, 'hub.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)');
    const insert = db.prepare('INSERT INTO filler (body) VALUES (?)');
    const body = Buffer.alloc(12 * 1024, 7);
    const frame = 4096 + 24;
    const walFrames = () => (statSync(`${file}-wal`).size - 32) / frame;
    let largest = 0;
    for (let i = 0; i < 3 * (WAL_CHECKPOINT_PAGES / 4); i++) {
      writeTransaction(db, () => insert.run(body));
      largest = Math.max(largest, walFrames());
    }
    // The flow wrote three checkpoints' worth of pages.
    expect(db.prepare('SELECT COUNT(*) AS n FROM filler').get()).toEqual({
      n: 3 * (WAL_CHECKPOINT_PAGES / 4),
    });
    expect(largest).toBeGreaterThan(WAL_CHECKPOINT_PAGES * 0.9);
    expect(largest).toBeLessThan(WAL_CHECKPOINT_PAGES + 16);
    db.close();
  });

  it('migrates a new database to the latest schema version', () => {
    const db = openDatabase(path.join(dir, 'hub.db'));
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer Guichet, with a message that says what to do', () => {
    const file = path.join(dir, 'hub.db');
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    expect(() => openDatabase(file)).toThrow(/newer Guichet/);
  });

  it('rolls a write transaction back whole when it throws', () => {
    const db = openDatabase(path.join(dir, 'hub.db'));
    expect(() =>
      writeTransaction(db, () => {
        db.prepare("INSERT INTO meta (key, value) VALUES ('a', '1')").run();
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.prepare("SELECT COUNT(*) AS n FROM meta WHERE key = 'a'").get()).toEqual({ n: 0 });
    db.close();
  });
});
