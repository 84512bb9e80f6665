// Crash safety of the hub: kiosks issue tickets and counters call and finish them against a real
// hub process, which is SIGKILLed at a random moment; then the data folder is checked on disk and
// through a restarted hub. Every ticket the hub acknowledged (201) must survive with its number;
// what was in flight at the kill may be lost, but never half-written.
//
// SIGKILL tests process crashes (atomicity, recovery, no acknowledged-but-lost answers). It does not
// test power loss: the OS page cache survives a killed process, so it cannot tell synchronous=FULL
// from NORMAL. That needs a machine (or VM) that loses power.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DemoTokens } from '../../hub/branch-setup';
import { databaseFile } from '../../hub/run-hub';
import { formatTicketNumber } from '../../core/numbering';
import { queueCountMismatches } from '../../hub/testing/queue-counts-check';
import { call } from '../support/test-hub';
import {
  initDemoDataDir,
  killAllHubProcesses,
  startHubProcess,
  type HubProcess,
} from './hub-process';

export const DEMO_SERVICE_IDS = ['etat-civil', 'passeports', 'titres-sejour', 'visas'] as const;
const LANGS = ['fr', 'en', 'ar'] as const;

/** mulberry32: small, fast, good enough to pick kill moments and services reproducibly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface CrashOptions {
  seed: number;
  /** Simulated kiosks, each its own device (its own idempotency ledger). */
  kiosks?: number;
  /** Counters that call-next / finish during the load. */
  counters?: string[];
  /** The kill lands uniformly between these, counted from the start of the load. */
  minKillMs?: number;
  maxKillMs?: number;
}

export interface RoundResult {
  round: number;
  killAfterMs: number;
  /** POST /tickets answered 201 before the kill. */
  acknowledged: number;
  /** POST /tickets with no answer (in flight at the kill). */
  inFlight: number;
  /** Of those, how many had committed anyway (the retry after restart was a replay). */
  inFlightCommitted: number;
  calls: number;
  finishes: number;
  problems: string[];
  ms: number;
}

export interface CrashSummary {
  seed: number;
  passed: number;
  failed: number;
  rounds: RoundResult[];
}

interface Attempt {
  kiosk: number;
  key: string;
  body: { serviceId: string; priority?: boolean; lang: string };
  outcome: 'pending' | 'acknowledged' | 'no_answer' | 'error';
  ticket?: { id: string; number: string };
}

interface TicketAnswer {
  id: string;
  number: string;
}

/** A data folder initialised once, and the hub process currently running on it. */
export class CrashBench {
  private hub: HubProcess | undefined;
  private readonly random: () => number;

  private constructor(
    readonly dir: string,
    readonly options: Required<CrashOptions>,
    private readonly kioskTokens: string[],
    private readonly counterTokens: Record<string, string>,
  ) {
    this.random = seededRandom(options.seed);
  }

  static async create(options: CrashOptions): Promise<CrashBench> {
    const full: Required<CrashOptions> = {
      kiosks: 4,
      counters: ['counter-1', 'counter-2', 'counter-3', 'counter-4'],
      minKillMs: 3,
      maxKillMs: 300,
      ...options,
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'guichet-crash-'));
    try {
      const tokens: DemoTokens = await initDemoDataDir(dir);
      const hub = await startHubProcess(dir);
      const admin = tokens.admin;
      // No building capacity: hundreds of rounds would otherwise fill it and get 409 branch_full.
      const patched = await call(hub.url, 'PATCH', '/api/v1/branch', {
        token: admin,
        body: { capacity: null },
      });
      if (patched.status !== 200) throw new Error(`PATCH /branch → ${patched.status}`);
      const kioskTokens = [tokens.kiosk];
      for (let i = 1; i < full.kiosks; i++) {
        const created = await call<{ token: string }>(hub.url, 'POST', '/api/v1/devices', {
          token: admin,
          body: { role: 'kiosk', name: `Crash kiosk ${i + 1}` },
        });
        if (created.status !== 201) throw new Error(`POST /devices → ${created.status}`);
        kioskTokens.push(created.body.token);
      }
      const bench = new CrashBench(dir, full, kioskTokens, tokens.counters);
      bench.hub = hub;
      return bench;
    } catch (error) {
      await killAllHubProcesses();
      rmSync(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Runs `rounds` crash rounds; `onRound` sees each result as it lands. */
  async run(rounds: number, onRound?: (result: RoundResult) => void): Promise<CrashSummary> {
    const results: RoundResult[] = [];
    for (let round = 1; round <= rounds; round++) {
      const result = await this.round(round);
      results.push(result);
      onRound?.(result);
    }
    const failed = results.filter((r) => r.problems.length > 0).length;
    return { seed: this.options.seed, passed: results.length - failed, failed, rounds: results };
  }

  /** Stops the hub with SIGTERM (it must exit 0), checks the folder a last time, deletes it. */
  async dispose(keepDir = false): Promise<string[]> {
    const problems: string[] = [];
    try {
      if (this.hub) {
        const code = await this.hub.stop();
        if (code !== 0)
          problems.push(`hub exited ${String(code)} on SIGTERM: ${this.hub.stderr()}`);
        this.hub = undefined;
        problems.push(...checkDataOnDisk(databaseFile(this.dir), []));
      }
    } finally {
      await killAllHubProcesses();
      if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
    }
    return problems;
  }

  private async round(round: number): Promise<RoundResult> {
    const started = performance.now();
    const { minKillMs, maxKillMs } = this.options;
    const killAfterMs = Math.round(minKillMs + this.random() * (maxKillMs - minKillMs));
    const problems: string[] = [];
    const attempts: Attempt[] = [];
    let calls = 0;
    let finishes = 0;
    const hub = (this.hub ??= await startHubProcess(this.dir));
    let killed = false;

    // Decide every random choice up front from the seed, so a round's plan does not depend on timing.
    const plan = Array.from({ length: 4096 }, () => this.random());
    let planAt = 0;
    const next = () => plan[planAt++ % plan.length]!;

    const kiosk = async (k: number) => {
      for (let n = 0; !killed; n++) {
        const attempt: Attempt = {
          kiosk: k,
          key: `crash-s${this.options.seed}-r${round}-k${k}-${n}`,
          body: {
            serviceId: DEMO_SERVICE_IDS[Math.floor(next() * DEMO_SERVICE_IDS.length)]!,
            lang: LANGS[Math.floor(next() * LANGS.length)]!,
            ...(next() < 0.1 ? { priority: true } : {}),
          },
          outcome: 'pending',
        };
        attempts.push(attempt);
        try {
          const answer = await call<TicketAnswer>(hub.url, 'POST', '/api/v1/tickets', {
            token: this.kioskTokens[k]!,
            body: attempt.body,
            headers: { 'idempotency-key': attempt.key },
          });
          if (answer.status === 201) {
            attempt.outcome = 'acknowledged';
            attempt.ticket = { id: answer.body.id, number: answer.body.number };
          } else {
            attempt.outcome = 'error';
            problems.push(
              `POST /tickets (${attempt.key}) → ${answer.status} ${JSON.stringify(answer.body)}`,
            );
          }
        } catch (error) {
          attempt.outcome = 'no_answer';
          if (!killed) problems.push(`POST /tickets failed before the kill: ${String(error)}`);
        }
      }
    };

    const counter = async (counterId: string) => {
      const token = this.counterTokens[counterId]!;
      let n = 0;
      const key = () => `crash-s${this.options.seed}-r${round}-${counterId}-${n++}`;
      const finish = async (ticketId: string) => {
        const done = await call(hub.url, 'POST', `/api/v1/tickets/${ticketId}/finish`, {
          token,
          headers: { 'idempotency-key': key() },
        });
        if (done.status !== 200) problems.push(`finish ${ticketId} → ${done.status}`);
        else finishes++;
      };
      while (!killed) {
        try {
          const answer = await call<{ ticket: { id: string } }>(
            hub.url,
            'POST',
            `/api/v1/counters/${counterId}/call-next`,
            { token, headers: { 'idempotency-key': key() } },
          );
          if (answer.status === 200) {
            calls++;
            await finish(answer.body.ticket.id);
          } else if (answer.status === 409) {
            // Still holding the ticket it was called for when the last hub died: finish it first.
            const list = await call<{ id: string; currentTicket: { id: string } | null }[]>(
              hub.url,
              'GET',
              '/api/v1/counters',
              { token },
            );
            const held = list.body.find((c) => c.id === counterId)?.currentTicket;
            if (held) await finish(held.id);
            else problems.push(`call-next ${counterId} → 409 but it holds no ticket`);
          } else if (answer.status === 204) {
            // Nobody waits for this counter: pace the polling (load shaping, not synchronisation).
            await new Promise<void>((resolve) => setTimeout(resolve, 5));
          } else {
            problems.push(
              `call-next ${counterId} → ${answer.status} ${JSON.stringify(answer.body)}`,
            );
          }
        } catch (error) {
          if (!killed)
            problems.push(`counter ${counterId} request failed before the kill: ${String(error)}`);
        }
      }
    };

    const killTimer = new Promise<void>((resolve) =>
      setTimeout(() => {
        killed = true;
        resolve(hub.kill());
      }, killAfterMs),
    );
    const load = [
      ...this.kioskTokens.map((_, k) => kiosk(k)),
      ...this.options.counters.map((c) => counter(c)),
    ];
    await Promise.all([killTimer, ...load]);
    await hub.exited;
    this.hub = undefined;

    const acknowledged = attempts.filter((a) => a.outcome === 'acknowledged');
    const unanswered = attempts.filter((a) => a.outcome === 'no_answer');

    // 1. The folder as the crash left it, read-only, before anything recovers it.
    const ledger = new Map<string, string>(); // `${kiosk}:${key}` → ticket id committed for it
    problems.push(
      ...checkDataOnDisk(
        databaseFile(this.dir),
        acknowledged.map((a) => a.ticket!),
        (db) => {
          const byKey = db.prepare<[string], { id: string | null }>(
            "SELECT json_extract(response, '$.id') AS id FROM idempotency_keys WHERE key = ?",
          );
          for (const a of unanswered) {
            const row = byKey.get(a.key);
            if (row?.id) ledger.set(a.key, row.id);
          }
        },
      ),
    );

    // 2. A restarted hub on the same folder: it serves every acknowledged ticket unchanged, and a
    //    kiosk retrying its unanswered request with the same key gets exactly one ticket.
    const restarted = await startHubProcess(this.dir);
    this.hub = restarted;
    const anyReader = this.kioskTokens[0]!;
    for (const a of acknowledged) {
      const got = await call<TicketAnswer>(
        restarted.url,
        'GET',
        `/api/v1/tickets/${a.ticket!.id}`,
        {
          token: anyReader,
        },
      );
      if (got.status !== 200)
        problems.push(`acknowledged ticket ${a.ticket!.number} → GET ${got.status}`);
      else if (got.body.number !== a.ticket!.number)
        problems.push(`ticket ${a.ticket!.id} was ${a.ticket!.number}, now ${got.body.number}`);
    }
    let inFlightCommitted = 0;
    const retries = [...unanswered, ...acknowledged.slice(0, 3)];
    for (const a of retries) {
      const retry = await call<TicketAnswer>(restarted.url, 'POST', '/api/v1/tickets', {
        token: this.kioskTokens[a.kiosk]!,
        body: a.body,
        headers: { 'idempotency-key': a.key },
      });
      const replayed = retry.headers.get('idempotent-replayed') === 'true';
      const expectedId = a.outcome === 'acknowledged' ? a.ticket!.id : ledger.get(a.key);
      if (retry.status !== 201) {
        problems.push(`retry of ${a.key} → ${retry.status} ${JSON.stringify(retry.body)}`);
      } else if (expectedId !== undefined) {
        if (!replayed || retry.body.id !== expectedId)
          problems.push(
            `retry of ${a.key}: expected a replay of ${expectedId}, got ${retry.body.id} (replayed=${replayed})`,
          );
        else if (a.outcome === 'no_answer') inFlightCommitted++;
      } else if (replayed) {
        problems.push(
          `retry of ${a.key} replayed ${retry.body.id}, but the ledger on disk had no such key`,
        );
      }
    }

    return {
      round,
      killAfterMs,
      acknowledged: acknowledged.length,
      inFlight: unanswered.length,
      inFlightCommitted,
      calls,
      finishes,
      problems,
      ms: Math.round(performance.now() - started),
    };
  }
}

/**
 * Opens the branch database read-only and checks everything that must hold after any crash.
 * `acknowledged` tickets must be present with their number; `extra` runs more reads on the same
 * connection. Returns the problems found (empty when all holds).
 */
export function checkDataOnDisk(
  file: string,
  acknowledged: TicketAnswer[],
  extra?: (db: Database.Database) => void,
): string[] {
  const problems: string[] = [];
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') problems.push(`integrity_check: ${String(integrity)}`);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length > 0) problems.push(`foreign_key_check: ${JSON.stringify(fk.slice(0, 5))}`);

    db.transaction(() => {
      const byId = db.prepare<[string], { number: string }>(
        'SELECT number FROM tickets WHERE id = ?',
      );
      for (const t of acknowledged) {
        const row = byId.get(t.id);
        if (!row) problems.push(`acknowledged ticket ${t.number} (${t.id}) is gone`);
        else if (row.number !== t.number)
          problems.push(`ticket ${t.id}: acknowledged ${t.number}, stored ${row.number}`);
      }

      // Numbers: unique per (issued service, business day), gapless 1..max, and spelled from seq.
      const groups = db
        .prepare<
          [],
          {
            svc: string;
            day: string;
            n: number;
            seqs: number;
            numbers: number;
            lo: number;
            hi: number;
          }
        >(
          `SELECT issued_service_id AS svc, business_day AS day, COUNT(*) AS n, COUNT(DISTINCT seq) AS seqs,
             COUNT(DISTINCT number) AS numbers, MIN(seq) AS lo, MAX(seq) AS hi
           FROM tickets GROUP BY issued_service_id, business_day`,
        )
        .all();
      for (const g of groups) {
        if (g.n !== g.seqs || g.n !== g.numbers)
          problems.push(
            `${g.svc} ${g.day}: ${g.n} tickets but ${g.seqs} seqs, ${g.numbers} numbers`,
          );
        if (g.lo !== 1 || g.hi !== g.n)
          problems.push(`${g.svc} ${g.day}: numbers ${g.lo}..${g.hi} for ${g.n} tickets (a hole)`);
      }
      const misspelt = db
        .prepare<[], { id: string; number: string; seq: number; prefix: string }>(
          'SELECT t.id, t.number, t.seq, s.prefix FROM tickets t JOIN services s ON s.id = t.issued_service_id',
        )
        .all()
        .filter((t) => formatTicketNumber(t.prefix, t.seq) !== t.number);
      for (const t of misspelt.slice(0, 5))
        problems.push(`ticket ${t.id}: number ${t.number} but seq ${t.seq}`);

      // The event log: gapless per device, one ticket.issued per ticket, none for a missing ticket.
      for (const g of db
        .prepare<[], { device: string; n: number; seqs: number; lo: number; hi: number }>(
          `SELECT device_id AS device, COUNT(*) AS n, COUNT(DISTINCT device_seq) AS seqs,
             MIN(device_seq) AS lo, MAX(device_seq) AS hi FROM events GROUP BY device_id`,
        )
        .all()) {
        if (g.n !== g.seqs || g.lo !== 1 || g.hi !== g.n)
          problems.push(`events of ${g.device}: ${g.n} rows, device_seq ${g.lo}..${g.hi}`);
      }
      const issuedWrong = db
        .prepare<[], { id: string; n: number }>(
          `SELECT t.id, COUNT(e.seq) AS n FROM tickets t
           LEFT JOIN events e ON e.ticket_id = t.id AND e.type = 'ticket.issued'
           GROUP BY t.id HAVING COUNT(e.seq) != 1`,
        )
        .all();
      for (const t of issuedWrong.slice(0, 5))
        problems.push(`ticket ${t.id} has ${t.n} ticket.issued events`);
      const orphans = db
        .prepare<[], { seq: number; type: string }>(
          `SELECT e.seq, e.type FROM events e LEFT JOIN tickets t ON t.id = e.ticket_id
           WHERE e.ticket_id IS NOT NULL AND t.id IS NULL`,
        )
        .all();
      for (const e of orphans.slice(0, 5))
        problems.push(`event ${e.seq} (${e.type}) names a ticket that does not exist`);
      // The last event of each ticket carries the state the ticket row has: the change and its event
      // were committed together, or neither was.
      const diverged = db
        .prepare<
          [],
          { id: string; status: string; es: string; counter: string | null; ec: string | null }
        >(
          `SELECT t.id, t.status, t.counter_id AS counter, json_extract(e.payload, '$.ticket.status') AS es,
             json_extract(e.payload, '$.ticket.counterId') AS ec
           FROM tickets t JOIN events e ON e.seq = (SELECT MAX(seq) FROM events WHERE ticket_id = t.id)
           WHERE es IS NOT t.status OR ec IS NOT t.counter_id`,
        )
        .all();
      for (const t of diverged.slice(0, 5))
        problems.push(
          `ticket ${t.id} is ${t.status}@${t.counter} but its last event says ${t.es}@${t.ec}`,
        );

      // The counts the database keeps (migration 007) match the queue counted row by row.
      problems.push(...queueCountMismatches(db).slice(0, 5));

      // Each ticket went through the API with an Idempotency-Key: its ledger row was written with it.
      const ledgerIds = new Set(
        db
          .prepare<[], { id: string | null }>(
            "SELECT json_extract(response, '$.id') AS id FROM idempotency_keys WHERE status_code = 201",
          )
          .all()
          .map((r) => r.id),
      );
      const unledgered = db
        .prepare<[], { id: string }>('SELECT id FROM tickets')
        .all()
        .filter((t) => !ledgerIds.has(t.id));
      for (const t of unledgered.slice(0, 5))
        problems.push(`ticket ${t.id} has no idempotency record`);

      extra?.(db);
    })();
  } finally {
    db.close();
  }
  return problems;
}
