// One seeded fault run of the hub↔server link: a real server process (the production CLI on
// SQLite), a real hub process (hub-entry.ts) whose central URL is the fault proxy, recorded load,
// request faults and partitions from the seed, a SIGKILL of the hub and/or the server while a push
// is in flight, a clock jump on the hub; then heal, wait (bounded) for convergence and check the
// history. The seed fixes the plan; the interleaving with real processes still varies a little
// from run to run, so a failing seed is a lead, not a recording.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { databaseFile } from '../../hub/run-hub';
import { seededRandom } from '../crash/crash-harness';
import { demoFolder } from '../sync/sync-harness';
import { FaultProxy, type FaultPlan } from './fault-proxy';
import {
  checkLogs,
  checkNoTicketLost,
  checkNumbersUnique,
  checkSingleCaller,
  hubTickets,
  serverTickets,
  stateHash,
  type DownstreamView,
  type UpstreamView,
} from './history-checks';
import { runLoad } from './load';
import {
  freePort,
  initServerDir,
  killAllChildren,
  startHubCli,
  startHubEntry,
  startServerProcess,
  type Child,
} from './processes';

/** docs/sync.md: "hub and server reach the same state hash within 5 s after the network heals". */
export const CONVERGE_MS = 5_000;
/** Past the 5 s, keep looking this long to tell "slow" from "never" in the report. */
export const LATE_LOOK_MS = 20_000;

export interface RunOptions {
  seed: number;
  /** Tickets issued in the run (the bound on its length). */
  issues?: number;
  keepDirs?: boolean;
  /**
   * 'entry' (default): hub-entry.ts, test sync timings and a movable clock. 'cli': the production
   * `guichet hub` command as is (no clock jumps): measures the production backoff after a heal.
   */
  hub?: 'entry' | 'cli';
  /**
   * A long outage at the end of the load (ms): the branch keeps issuing and calling while the
   * central is unreachable, then the network heals. Shows how far the backoff has grown.
   */
  outageMs?: number;
}

export interface RunResult {
  seed: number;
  problems: string[];
  ms: number;
  /** ms from the heal to the same state hash (null: never, within the late look). */
  convergedMs: number | null;
  issued: number;
  calls: number;
  faults: Record<string, number>;
  events: string[];
}

export const PUSH = (route: string) => route === 'POST /api/v1/sync/push';

/** The hub↔central link's plan (the agent scenario draws one for its central link too). */
export function planFor(random: () => number): FaultPlan {
  return {
    faultRate: 0.15 + random() * 0.35,
    weights: { cut: 2, delay: 2, 'drop-ack': 3, duplicate: 2, 'replay-old': 1, reorder: 2 },
    maxFaults: 40,
    maxDelayMs: 300,
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` every 25 ms until it is true or `ms` passed; returns the time it took or null. */
export async function within(ms: number, check: () => Promise<boolean>): Promise<number | null> {
  const start = Date.now();
  for (;;) {
    try {
      if (await check()) return Date.now() - start;
    } catch {
      // a process just restarted or a read raced a write: look again
    }
    if (Date.now() - start > ms) return null;
    await sleep(25);
  }
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const { seed } = options;
  const random = seededRandom(seed);
  const plan = planFor(random);
  // Everything the seed decides about the timeline, drawn before anything runs.
  const timeline = {
    partitions: Array.from({ length: Math.floor(random() * 3) }, () => ({
      at: 100 + Math.floor(random() * 1500),
      ms: 150 + Math.floor(random() * 900),
    })),
    killHub:
      random() < 0.6
        ? { at: 100 + Math.floor(random() * 1500), downMs: Math.floor(random() * 300) }
        : null,
    killServer:
      random() < 0.5
        ? { at: 100 + Math.floor(random() * 1500), downMs: Math.floor(random() * 500) }
        : null,
    clockJump:
      random() < 0.6
        ? {
            at: 100 + Math.floor(random() * 1500),
            offsetMs: Math.round((random() * 2 - 1) * 10 * 60_000),
          }
        : null,
  };
  const issues = options.issues ?? 30;
  const events: string[] = [];
  const mark = (what: string) => events.push(`${Date.now() - started}ms ${what}`);
  const problems: string[] = [];

  const serverDir = mkdtempSync(path.join(tmpdir(), 'guichet-faults-server-'));
  const folder = demoFolder();
  let proxy: FaultProxy | undefined;
  let server: Child | undefined;
  let hub: Child | undefined;
  let convergedMs: number | null = null;
  let issued = 0;
  let calls = 0;
  try {
    const serverPort = await freePort();
    const hubPort = await freePort();
    const startServer = () => startServerProcess(serverDir, serverPort);
    proxy = new FaultProxy({ upstreamPort: serverPort, random, plan, isPush: PUSH });
    await proxy.listen();
    // The server's setup and the hub's start overlap (each costs a tsx start-up): a hub that comes
    // up first is simply offline until the server listens.
    const linkReady = initServerDir(serverDir);
    const serverReady = linkReady.then(async (l) => ((server = await startServer()), l));
    let clockOffsetMs = 0;
    const startHub = () =>
      (options.hub === 'cli' ? startHubCli : startHubEntry)({
        dir: folder.dir,
        port: hubPort,
        centralUrl: proxy!.url,
        centralToken: link.branchToken,
        clockOffsetMs,
      });
    serverReady.catch(() => undefined); // awaited below; only keeps an early failure handled
    const link = await linkReady;
    [hub] = await Promise.all([startHub(), serverReady]);
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const upstream: UpstreamView = {
      url: `http://127.0.0.1:${serverPort}`,
      adminToken: link.adminToken,
      branchId: link.branchId,
      dbFile: path.join(serverDir, 'server.db'),
    };
    const downstream: DownstreamView = {
      url: hubUrl,
      readToken: folder.tokens.admin,
      dbFile: databaseFile(folder.dir),
    };

    proxy.startFaults();
    mark(`faults on (rate ${plan.faultRate.toFixed(2)})`);
    const activeProxy = proxy;
    // The kills wait for a push in flight after their moment: "mid-sync", not merely "during load".
    const timed: Promise<void>[] = [];
    for (const p of timeline.partitions)
      timed.push(
        sleep(p.at).then(() => {
          activeProxy.partition(p.ms);
          mark(`partition ${p.ms} ms`);
        }),
      );
    if (timeline.clockJump && options.hub !== 'cli') {
      const jump = timeline.clockJump;
      timed.push(
        sleep(jump.at).then(() => {
          clockOffsetMs = jump.offsetMs;
          hub?.send({ clockOffsetMs });
          mark(`hub clock jumps to ${Math.round(jump.offsetMs / 1000)} s`);
        }),
      );
    }
    const killOnPush = (what: 'hub' | 'server', at: number, downMs: number) =>
      sleep(at)
        .then(() => Promise.race([activeProxy.nextPush(), sleep(3_000)]))
        .then(async () => {
          if (what === 'hub') {
            await hub!.kill();
            mark('SIGKILL hub');
            await sleep(downMs);
            hub = await startHub();
            mark('hub restarted');
          } else {
            await server!.kill();
            mark('SIGKILL server');
            await sleep(downMs);
            server = await startServer();
            mark('server restarted');
          }
        });
    if (timeline.killHub)
      timed.push(killOnPush('hub', timeline.killHub.at, timeline.killHub.downMs));
    if (timeline.killServer)
      timed.push(killOnPush('server', timeline.killServer.at, timeline.killServer.downMs));

    const [history] = await Promise.all([
      runLoad({
        hubUrl: () => hubUrl,
        kioskToken: folder.tokens.kiosk,
        counterTokens: folder.tokens.counters,
        issues,
        random: seededRandom(seed ^ 0x5eed),
        seed,
      }),
      ...timed,
    ]);
    issued = history.issued.length;
    calls = history.calls.length;
    problems.push(...history.problems);
    mark(`load done: ${issued} issued, ${calls} calls, ${history.networkErrors} network errors`);

    if (options.outageMs) {
      const outageStart = Date.now();
      proxy.partition(options.outageMs + 60_000); // lasts until the heal
      mark(`outage of ${options.outageMs} ms`);
      const offline = await runLoad({
        hubUrl: () => hubUrl,
        kioskToken: folder.tokens.kiosk,
        counterTokens: folder.tokens.counters,
        issues: 5,
        random: seededRandom(seed ^ 0x0ff),
        seed: seed + 1_000_000,
      });
      history.issued.push(...offline.issued);
      history.calls.push(...offline.calls);
      problems.push(...offline.problems);
      // The outage's length is part of the scenario, not a wait for a condition.
      await sleep(Math.max(0, options.outageMs - (Date.now() - outageStart)));
    }
    await proxy.heal();
    mark('healed');
    // Converged: the same state hash, and the server acknowledges the hub's whole log.
    let last = '';
    const converged = async () => {
      const hubSide = await hubTickets(downstream);
      const days = [...new Set(hubSide.tickets.map((t) => t.businessDay))];
      const serverSide = await serverTickets(upstream, days);
      const same = stateHash(hubSide.tickets) === stateHash(serverSide);
      const backlog = checkLogs(upstream, downstream.dbFile);
      last = `hash ${same ? 'equal' : 'differs'} (${hubSide.tickets.length} vs ${serverSide.length} tickets); ${backlog.join('; ')}`;
      return same && backlog.length === 0;
    };
    convergedMs = await within(CONVERGE_MS, converged);
    if (convergedMs === null) {
      const atLimit = last; // what still differed at the 5 s mark
      const late = await within(LATE_LOOK_MS, converged);
      convergedMs = late === null ? null : CONVERGE_MS + late;
      problems.push(
        late === null
          ? `no convergence ${CONVERGE_MS + LATE_LOOK_MS} ms after the heal: ${last}`
          : `converged only ${convergedMs} ms after the heal (limit ${CONVERGE_MS}); at the limit: ${atLimit}`,
      );
    }
    mark(`converged in ${String(convergedMs)} ms`);

    const hubSide = await hubTickets(downstream);
    problems.push(...hubSide.problems);
    const days = [...new Set(hubSide.tickets.map((t) => t.businessDay))];
    const serverSide = await serverTickets(upstream, days);
    problems.push(...checkNoTicketLost(history, serverSide));
    problems.push(...checkNumbersUnique(serverSide));
    problems.push(...checkSingleCaller(history, upstream));
    problems.push(...checkLogs(upstream, downstream.dbFile));

    // A clean stop must still work after all that (exit 0 on SIGTERM).
    const hubCode = await hub.stop();
    if (hubCode !== 0)
      problems.push(`hub exited ${String(hubCode)} on SIGTERM: ${hub.stderr().slice(-500)}`);
  } catch (error) {
    problems.push(`run failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await proxy?.close();
    await killAllChildren();
    if (!options.keepDirs) {
      rmSync(serverDir, { recursive: true, force: true });
      rmSync(folder.dir, { recursive: true, force: true });
    }
  }
  return {
    seed,
    problems,
    ms: Date.now() - started,
    convergedMs,
    issued,
    calls,
    faults: proxy?.counts ?? {},
    events,
  };
}
