// The floor of "a durable ticket over HTTP" on this machine, for the issuance benchmark: bare
// node:http (no framework, no auth, no validation) and one durable INSERT per POST, WAL +
// synchronous=FULL as the hub sets them, nothing else. Run as its own process, as the hub is:
// `tsx bench/floor-server.ts DIR` prints `listening <port>` and serves until SIGTERM.
import http from 'node:http';
import path from 'node:path';
import Database from 'better-sqlite3';

const dir = process.argv[2];
if (!dir) throw new Error('usage: floor-server.ts DIR');
const db = new Database(path.join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
if (db.pragma('synchronous', { simple: true }) !== 2) throw new Error('synchronous=FULL refused');
db.exec('CREATE TABLE tickets (seq INTEGER PRIMARY KEY, body TEXT NOT NULL, at INTEGER NOT NULL)');
const insert = db.prepare('INSERT INTO tickets (body, at) VALUES (?, ?)');
const issue = db.transaction((body: string) => insert.run(body, Date.now()).lastInsertRowid);

const server = http.createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const seq = issue.immediate(Buffer.concat(chunks).toString('utf8'));
    response.writeHead(201, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ seq: Number(seq) }));
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
