// What must hold after every run (docs/sync.md, "What the fault suite checks"), read from the
// recorded client history, the hub (its API and its database, read-only) and the server (its
// admin API and its database, read-only). Each check returns problems; none means it holds.
// Link-agnostic where they can be: the agent run (agent-scenario.ts) checks the kiosk's history
// against the hub with them too, and adds its own in agent-checks.ts.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { call } from '../support/test-hub';
import type { LoadHistory } from './load';

export interface TicketRow {
  id: string;
  number: string;
  status: string;
  serviceId: string;
  counterId: string | null;
  issuedServiceId: string;
  businessDay: string;
}

export interface UpstreamView {
  url: string;
  adminToken: string;
  branchId: string;
  dbFile: string;
}

export interface DownstreamView {
  url: string;
  readToken: string;
  dbFile: string;
}

/** The state hash: tickets by id, with what both sides must agree on. */
export function stateHash(tickets: TicketRow[]): string {
  const rows = [...tickets]
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((t) => [t.id, t.number, t.status, t.serviceId, t.counterId ?? null]);
  return createHash('sha256').update(JSON.stringify(rows)).digest('hex');
}

/** One consistent read of another process's SQLite file. */
export function readOnly<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.transaction(() => read(db))();
  } finally {
    db.close();
  }
}

interface QueueDto {
  waiting: { id: string; status: string }[];
  called: { id: string; status: string }[];
  serving: { id: string; status: string }[];
}

/**
 * The hub's tickets: every ticket from its database, and the live queue from GET /api/v1/queue,
 * which must agree with the database on which tickets are active and in what status.
 */
export async function hubTickets(
  hub: DownstreamView,
): Promise<{ tickets: TicketRow[]; problems: string[] }> {
  const queue = await call<QueueDto>(hub.url, 'GET', '/api/v1/queue', { token: hub.readToken });
  if (queue.status !== 200) throw new Error(`hub GET /queue → ${queue.status}`);
  const tickets = readOnly(hub.dbFile, (db) =>
    db
      .prepare<[], TicketRow>(
        `SELECT id, number, status, service_id AS serviceId, counter_id AS counterId,
           issued_service_id AS issuedServiceId, business_day AS businessDay FROM tickets`,
      )
      .all(),
  );
  const problems: string[] = [];
  const byId = new Map(tickets.map((t) => [t.id, t]));
  const active = [...queue.body.waiting, ...queue.body.called, ...queue.body.serving];
  for (const t of active) {
    const row = byId.get(t.id);
    // The API answered after the read of the database: a ticket may have moved on since; only a
    // ticket the queue shows and the database lacks is wrong.
    if (!row) problems.push(`hub /queue shows ${t.id}, its database does not hold it`);
  }
  return { tickets, problems };
}

/** The server's tickets of the given business days, from its admin API. */
export async function serverTickets(server: UpstreamView, days: string[]): Promise<TicketRow[]> {
  const out: TicketRow[] = [];
  for (const date of days) {
    const answer = await call<{
      tickets: {
        id: string;
        number: string;
        status: string;
        serviceId: string;
        issuedServiceId: string;
        counterId: string | null;
      }[];
    }>(server.url, 'GET', `/api/v1/branches/${server.branchId}/tickets?date=${date}`, {
      token: server.adminToken,
    });
    if (answer.status !== 200) throw new Error(`server tickets ${date} → ${answer.status}`);
    for (const t of answer.body.tickets)
      out.push({ ...t, counterId: t.counterId ?? null, businessDay: date });
  }
  return out;
}

/** The business days the tickets are filed on (the server's admin API reads one day at a time). */
export const businessDays = (tickets: readonly TicketRow[]): string[] => [
  ...new Set(tickets.map((t) => t.businessDay)),
];

/** Every 201 a kiosk saw is on the server (or `where`) with the same number and service. */
export function checkNoTicketLost(
  history: LoadHistory,
  server: TicketRow[],
  where = 'server',
): string[] {
  const byId = new Map(server.map((t) => [t.id, t]));
  const problems: string[] = [];
  for (const issued of history.issued) {
    const row = byId.get(issued.id);
    if (!row)
      problems.push(
        `lost: ticket ${issued.number} (${issued.id}, key ${issued.key}) is not on the ${where}`,
      );
    else if (row.number !== issued.number)
      problems.push(`ticket ${issued.id}: kiosk saw ${issued.number}, ${where} has ${row.number}`);
    else if (row.issuedServiceId !== issued.serviceId)
      problems.push(
        `ticket ${issued.id}: issued for ${issued.serviceId}, ${where} has ${row.issuedServiceId}`,
      );
  }
  return problems;
}

/** Numbers unique per (branch, issued service, business day). */
export function checkNumbersUnique(server: TicketRow[]): string[] {
  const seen = new Map<string, string>();
  const problems: string[] = [];
  for (const t of server) {
    const key = `${t.issuedServiceId}|${t.businessDay}|${t.number}`;
    const other = seen.get(key);
    if (other)
      problems.push(
        `number ${t.number} (${t.issuedServiceId}, ${t.businessDay}) on ${other} and ${t.id}`,
      );
    else seen.set(key, t.id);
  }
  return problems;
}

interface ServerEvent {
  event_id: string;
  device_id: string;
  epoch: string;
  device_seq: number;
  type: string;
  status: string;
  ticket_id: string | null;
  counter_id: string | null;
}

function serverEvents(server: UpstreamView): ServerEvent[] {
  return readOnly(server.dbFile, (db) =>
    db
      .prepare<[string], ServerEvent>(
        `SELECT event_id, device_id, epoch, device_seq, type, status,
           json_extract(payload, '$.ticket.id') AS ticket_id,
           json_extract(payload, '$.ticket.counterId') AS counter_id
         FROM events WHERE branch_id = ? ORDER BY pos`,
      )
      .all(server.branchId),
  );
}

/** No ticket called by two counters: in what counters were told, and in the server's history. */
export function checkSingleCaller(history: LoadHistory, server: UpstreamView): string[] {
  return singleCaller(history, serverEvents(server), 'server');
}

/** The same on the hub's own log (a run without a central server). */
export function checkSingleCallerOnHub(history: LoadHistory, hubDbFile: string): string[] {
  const events = readOnly(hubDbFile, (db) =>
    db
      .prepare<[], { type: string; ticket_id: string | null; counter_id: string | null }>(
        `SELECT type, ticket_id, json_extract(payload, '$.ticket.counterId') AS counter_id
         FROM events WHERE type = 'ticket.called' ORDER BY seq`,
      )
      .all(),
  );
  return singleCaller(history, events, 'hub');
}

function singleCaller(
  history: LoadHistory,
  log: readonly { type: string; ticket_id: string | null; counter_id: string | null }[],
  where: string,
): string[] {
  const problems: string[] = [];
  const told = new Map<string, string>();
  for (const c of history.calls) {
    const other = told.get(c.ticketId);
    if (other && other !== c.counterId)
      problems.push(`ticket ${c.ticketId} was handed to ${other} and ${c.counterId}`);
    told.set(c.ticketId, c.counterId);
  }
  const callers = new Map<string, Set<string>>();
  for (const e of log) {
    if (e.type !== 'ticket.called' || !e.ticket_id || !e.counter_id) continue;
    const set = callers.get(e.ticket_id) ?? new Set<string>();
    set.add(e.counter_id);
    callers.set(e.ticket_id, set);
  }
  // A check that saw nothing proves nothing: calls were made, so the server must hold them.
  if (history.calls.length > 0 && callers.size === 0)
    problems.push(`${where} holds no ticket.called event although counters called tickets`);
  for (const [ticket, set] of callers)
    if (set.size > 1) problems.push(`${where}: ticket ${ticket} called by ${[...set].join(', ')}`);
  return problems;
}

/**
 * Every device log on the server is a gapless prefix 1..ack, matching its acknowledgement; and
 * the hub's whole log is there exactly once (a batch pushed k times changed nothing): the same
 * event ids, no extra rows, even though the proxy duplicated, replayed and reordered pushes.
 */
export function checkLogs(server: UpstreamView, hubDbFile: string): string[] {
  const problems: string[] = [];
  const events = serverEvents(server);
  const acks = readOnly(server.dbFile, (db) =>
    db
      .prepare<[string], { device_id: string; epoch: string; ack_seq: number }>(
        'SELECT device_id, epoch, ack_seq FROM device_logs WHERE branch_id = ?',
      )
      .all(server.branchId),
  );
  for (const log of acks) {
    const seqs = events
      .filter((e) => e.device_id === log.device_id && e.epoch === log.epoch)
      .map((e) => e.device_seq)
      .sort((a, b) => a - b);
    const gapless = seqs.every((s, i) => s === i + 1);
    if (!gapless || seqs.length !== log.ack_seq)
      problems.push(
        `${log.device_id}/${log.epoch}: ack ${log.ack_seq}, ${seqs.length} events, gapless=${gapless}`,
      );
  }
  const hubLog = readOnly(hubDbFile, (db) =>
    db
      .prepare<[], { event_id: string; device_id: string }>(
        'SELECT event_id, device_id FROM events',
      )
      .all(),
  );
  const onServer = new Set(events.map((e) => e.event_id));
  const missing = hubLog.filter((e) => !onServer.has(e.event_id));
  if (missing.length > 0)
    problems.push(`${missing.length} hub events not on the server (first ${missing[0]!.event_id})`);
  const hubIds = new Set(hubLog.map((e) => e.event_id));
  const hubDevices = new Set(hubLog.map((e) => e.device_id));
  const extra = events.filter((e) => hubDevices.has(e.device_id) && !hubIds.has(e.event_id));
  if (extra.length > 0)
    problems.push(`${extra.length} server events of the hub that the hub never wrote`);
  const rejected = events.filter((e) => e.status === 'rejected');
  if (rejected.length > 0)
    problems.push(`${rejected.length} events rejected by the server (first ${rejected[0]!.type})`);
  return problems;
}

/**
 * Converged after the heal: the same state hash on the hub and the server, and the server
 * acknowledges the hub's whole log; `detail` says what still differs.
 */
export async function centralAgreement(
  hub: DownstreamView,
  server: UpstreamView,
): Promise<{ agreed: boolean; detail: string }> {
  const hubSide = await hubTickets(hub);
  const serverSide = await serverTickets(server, businessDays(hubSide.tickets));
  const same = stateHash(hubSide.tickets) === stateHash(serverSide);
  const backlog = checkLogs(server, hub.dbFile);
  return {
    agreed: same && backlog.length === 0,
    detail: `hash ${same ? 'equal' : 'differs'} (${hubSide.tickets.length} vs ${serverSide.length} tickets); ${backlog.join('; ')}`,
  };
}

/**
 * Every check of the server's side after a run, for the tickets on the hub's business days:
 * nothing the kiosk saw is lost, numbers unique, one caller per ticket, logs whole and once.
 */
export async function checkServer(
  history: LoadHistory,
  hubTicketRows: readonly TicketRow[],
  server: UpstreamView,
  hubDbFile: string,
): Promise<string[]> {
  const serverSide = await serverTickets(server, businessDays(hubTicketRows));
  return [
    ...checkNoTicketLost(history, serverSide),
    ...checkNumbersUnique(serverSide),
    ...checkSingleCaller(history, server),
    ...checkLogs(server, hubDbFile),
  ];
}
