// The floor of "a durable ticket over HTTP" on this machine, for the issuance benchmark: bare
// node:http (no framework, no auth, no validation) and one durable INSERT per POST, WAL +
// synchronous=FULL as the hub sets them, nothing else. Run as its own process, as the hub is:
// `tsx bench/floor-server.ts DIR [--indexes N] [--hub-checkpoints] [--page-size B]
// [--no-checkpoint]` prints `listening <port>` and serves until SIGTERM.
// --indexes N: N more indexes on the row (14: the 16 pages a hub issue wrote per commit before
// migration 008, 9: the 11 it writes since; docs/benchmarks.md "Fourth run");
// --hub-checkpoints: the hub's WAL checkpoint size (WAL_CHECKPOINT_PAGES in
// hub/db/open-database.ts) instead of SQLite's default 1,000 pages;
// --page-size B: the database's page size in bytes (SQLite's default is 4096); --no-checkpoint:
// no checkpoint at all, the WAL grows (docs/benchmarks.md "Seventh run" compares them).
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';
import { WAL_CHECKPOINT_PAGES } from '../hub/db/open-database';

/** Integer columns the row carries, so any number of indexes up to this can be asked for. */
const INDEXED_COLUMNS = 14;

const [dir, ...flags] = process.argv.slice(2);
if (!dir) throw new Error('usage: floor-server.ts DIR [--indexes N] [--hub-checkpoints]');
const indexFlag = flags.indexOf('--indexes');
const indexes = indexFlag >= 0 ? Number(flags[indexFlag + 1]) : 0;
if (!Number.isInteger(indexes) || indexes < 0 || indexes > INDEXED_COLUMNS)
  throw new Error(`--indexes takes 0 to ${INDEXED_COLUMNS}`);

const db = new Database(path.join(dir, 'floor.db'));
const pageSizeFlag = flags.indexOf('--page-size');
if (pageSizeFlag >= 0) {
  const pageSize = Number(flags[pageSizeFlag + 1]);
  // SQLite ignores any other value silently: refuse it instead of measuring the default.
  if (![512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].includes(pageSize))
    throw new Error('--page-size takes a power of two from 512 to 65536');
  db.pragma(`page_size = ${pageSize}`);
}
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('synchronous=FULL refused');
const columns = Array.from({ length: INDEXED_COLUMNS }, (_, k) => `c${k}`);
db.exec(
  `CREATE TABLE tickets (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL, ${columns.map((c) => `${c} INTEGER NOT NULL`).join(', ')})`,
);
for (const c of columns.slice(0, indexes)) db.exec(`CREATE INDEX tickets_${c} ON tickets (${c})`);
const insert = db.prepare(
  `INSERT INTO tickets (body, at, ${columns.join(', ')}) VALUES (?, ?, ${columns.map(() => '?').join(', ')})`,
);
let n = 0;
// Index keys that grow in a few interleaved runs (like a service id, then a time): each index
// takes its row near the end of one of a few runs, as the hub's indexes do.
const issue = db.transaction((body: string) => {
  n += 1;
  const keys = columns.map((_, k) => (n % (k + 2)) * 1e9 + n);
  return insert.run(body, Date.now(), ...keys).lastInsertRowid;
});
if (flags.includes('--no-checkpoint')) db.pragma('wal_autocheckpoint = 0');
if (flags.includes('--hub-checkpoints')) db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const seq = issue.immediate(Buffer.concat(chunks).toString('utf8'));
    const body = JSON.stringify({ seq: Number(seq) });
    // Sized like the hub's answers (Fastify sends Content-Length), not chunked.
    response.writeHead(201, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(body),
    });
    response.end(body);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
});
process.once('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  db.close();
  process.exit(0);
});
