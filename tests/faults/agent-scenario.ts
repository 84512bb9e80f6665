// One seeded fault run of the kiosk agent → hub link (and, by default, the hub → central link
// behind it, so a ticket goes agent → hub → central): a real agent process (agent-entry.ts) whose
// hub URL is a fault proxy in front of a real hub process (hub-entry.ts), whose central URL is a
// second fault proxy in front of the production server. A kiosk issues at the agent (each visitor
// one Idempotency-Key, retried with it until answered), counters call and finish at the hub. The
// seed fixes the faults on both links (cuts, delays past the agent's forward timeout, dropped and
// delayed acknowledgements, duplicated, replayed and reordered pushes, partitions), SIGKILLs of
// the agent, the hub and the server while the agent pushes, and clock jumps of ±10 min on the
// agent and the hub. Then heal, wait (bounded) until agent, hub and server agree, and check the
// history: agent-checks.ts for the agent's log and twins, history-checks.ts for the rest.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { agentDatabaseFile } from '../../hub/agent/agent-db';
import { databaseFile } from '../../hub/run-hub';
import { seededRandom } from '../crash/crash-harness';
import { call } from '../support/test-hub';
import { demoFolder } from '../sync/sync-harness';
import {
  agentAgreement,
  checkAgentLog,
  checkRepush,
  checkTwins,
  readAgent,
  readHubAgentSide,
} from './agent-checks';
import { FaultProxy, type FaultPlan } from './fault-proxy';
import {
  checkLogs,
  checkNoTicketLost,
  checkNumbersUnique,
  checkSingleCaller,
  checkSingleCallerOnHub,
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
  startAgentEntry,
  startHubEntry,
  startServerProcess,
  type Child,
} from './processes';
import {
  CONVERGE_MS,
  LATE_LOOK_MS,
  PUSH,
  planFor,
  sleep,
  within,
  type RunResult,
} from './scenario';

export interface AgentRunOptions {
  seed: number;
  /** Visitors at the kiosk in the run (the bound on its length). */
  issues?: number;
  keepDirs?: boolean;
  /** Link the hub to a central server through its own proxy (default true). */
  central?: boolean;
  /**
   * How long the agent waits on a forwarded request (production: 3 s). Shorter here so delays
   * past it are cheap; the proxy's longest delay is twice this.
   */
  forwardTimeoutMs?: number;
}

/** Times a re-push of the agent's whole log is sent after the run (a batch pushed k times). */
const REPUSH_TIMES = 3;
/** The agent's first round (services, blocks) before the faults start. */
const AGENT_READY_MS = 20_000;

function agentLinkPlan(random: () => number, forwardTimeoutMs: number): FaultPlan {
  return {
    faultRate: 0.15 + random() * 0.3,
    weights: {
      cut: 2,
      delay: 2,
      'drop-ack': 3,
      'delay-ack': 2,
      duplicate: 2,
      'replay-old': 1,
      reorder: 2,
    },
    maxFaults: 40,
    // Some delays outlast the forward timeout: the agent gives up and issues offline, and with
    // 'delay-ack' the hub has committed the forward all the same (a twin).
    maxDelayMs: 2 * forwardTimeoutMs,
  };
}

const at = (random: () => number) => 100 + Math.floor(random() * 1500);

/** Everything the seed decides, drawn before anything runs (the CI seeds were chosen from it). */
export function drawAgentRun(seed: number, forwardTimeoutMs: number) {
  const random = seededRandom(seed);
  const agentPlan = agentLinkPlan(random, forwardTimeoutMs);
  const centralPlan = planFor(random);
  const timeline = {
    agentPartitions: Array.from({ length: Math.floor(random() * 3) }, () => ({
      at: at(random),
      ms: 150 + Math.floor(random() * 900),
    })),
    centralPartition:
      random() < 0.5 ? { at: at(random), ms: 150 + Math.floor(random() * 900) } : null,
    killAgent: random() < 0.6 ? { at: at(random), downMs: Math.floor(random() * 300) } : null,
    killHub: random() < 0.5 ? { at: at(random), downMs: Math.floor(random() * 300) } : null,
    killServer: random() < 0.3 ? { at: at(random), downMs: Math.floor(random() * 500) } : null,
    agentClock:
      random() < 0.6
        ? { at: at(random), offsetMs: Math.round((random() * 2 - 1) * 10 * 60_000) }
        : null,
    hubClock:
      random() < 0.4
        ? { at: at(random), offsetMs: Math.round((random() * 2 - 1) * 10 * 60_000) }
        : null,
  };
  return { random, agentPlan, centralPlan, timeline };
}

export async function runAgentScenario(options: AgentRunOptions): Promise<RunResult> {
  const started = Date.now();
  const { seed } = options;
  const withCentral = options.central ?? true;
  const forwardTimeoutMs = options.forwardTimeoutMs ?? 400;
  const { random, agentPlan, centralPlan, timeline } = drawAgentRun(seed, forwardTimeoutMs);
  const issues = options.issues ?? 30;
  const events: string[] = [];
  const mark = (what: string) => events.push(`${Date.now() - started}ms ${what}`);
  const problems: string[] = [];

  const folder = demoFolder();
  const agentDir = mkdtempSync(path.join(tmpdir(), 'guichet-faults-agent-'));
  const serverDir = withCentral ? mkdtempSync(path.join(tmpdir(), 'guichet-faults-server-')) : null;
  const proxies: FaultProxy[] = [];
  let server: Child | undefined;
  let hub: Child | undefined;
  let agent: Child | undefined;
  let convergedMs: number | null = null;
  let issued = 0;
  let calls = 0;
  const faults: Record<string, number> = {};
  try {
    const [hubPort, agentPort, serverPort] = [await freePort(), await freePort(), await freePort()];
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const agentUrl = `http://127.0.0.1:${agentPort}`;
    const agentProxy = new FaultProxy({
      upstreamPort: hubPort,
      random,
      plan: agentPlan,
      isPush: PUSH,
    });
    proxies.push(agentProxy);
    await agentProxy.listen();
    const centralProxy = withCentral
      ? new FaultProxy({ upstreamPort: serverPort, random, plan: centralPlan, isPush: PUSH })
      : null;
    if (centralProxy) {
      proxies.push(centralProxy);
      await centralProxy.listen();
    }

    const startServer = () => startServerProcess(serverDir!, serverPort);
    const linkReady = serverDir ? initServerDir(serverDir) : Promise.resolve(null);
    const serverReady = linkReady.then(async (l) => {
      if (l) server = await startServer();
      return l;
    });
    serverReady.catch(() => undefined); // awaited below; only keeps an early failure handled
    const link = await linkReady;
    let hubClockMs = 0;
    let agentClockMs = 0;
    const startHub = () =>
      startHubEntry({
        dir: folder.dir,
        port: hubPort,
        clockOffsetMs: hubClockMs,
        ...(centralProxy && link
          ? { centralUrl: centralProxy.url, centralToken: link.branchToken }
          : {}),
      });
    const startAgent = () =>
      startAgentEntry({
        dir: agentDir,
        port: agentPort,
        hubUrl: agentProxy.url,
        token: folder.tokens.kiosk,
        clockOffsetMs: agentClockMs,
        forwardTimeoutMs,
      });
    // Three start-ups overlap: an agent up before its hub simply retries until the hub answers.
    [hub, agent] = await Promise.all([startHub(), startAgent(), serverReady]);
    const ready = await within(AGENT_READY_MS, async () => {
      const health = await call<{ hub?: string }>(agentUrl, 'GET', '/api/v1/health', {
        headers: { connection: 'close' },
      });
      return health.body.hub === 'online';
    });
    if (ready === null) throw new Error(`the agent did not reach the hub in ${AGENT_READY_MS} ms`);
    mark(`agent online in ${ready} ms`);

    const hubDb = databaseFile(folder.dir);
    const agentDb = agentDatabaseFile(agentDir);
    const downstream: DownstreamView = {
      url: hubUrl,
      readToken: folder.tokens.admin,
      dbFile: hubDb,
    };
    const upstream: UpstreamView | null = link
      ? {
          url: `http://127.0.0.1:${serverPort}`,
          adminToken: link.adminToken,
          branchId: link.branchId,
          dbFile: path.join(serverDir!, 'server.db'),
        }
      : null;

    agentProxy.startFaults();
    centralProxy?.startFaults();
    mark(
      `faults on (agent link rate ${agentPlan.faultRate.toFixed(2)}, forward timeout ${forwardTimeoutMs} ms, delays up to ${agentPlan.maxDelayMs} ms${centralProxy ? `; central link rate ${centralPlan.faultRate.toFixed(2)}` : ''})`,
    );
    const timed: Promise<void>[] = [];
    for (const p of timeline.agentPartitions)
      timed.push(
        sleep(p.at).then(() => {
          agentProxy.partition(p.ms);
          mark(`agent↔hub partition ${p.ms} ms`);
        }),
      );
    const centralCut = timeline.centralPartition;
    if (centralProxy && centralCut)
      timed.push(
        sleep(centralCut.at).then(() => {
          centralProxy.partition(centralCut.ms);
          mark(`hub↔central partition ${centralCut.ms} ms`);
        }),
      );
    const agentJump = timeline.agentClock;
    if (agentJump)
      timed.push(
        sleep(agentJump.at).then(() => {
          agentClockMs = agentJump.offsetMs;
          agent?.send({ clockOffsetMs: agentClockMs });
          mark(`agent clock jumps to ${Math.round(agentJump.offsetMs / 1000)} s`);
        }),
      );
    const hubJump = timeline.hubClock;
    if (hubJump)
      timed.push(
        sleep(hubJump.at).then(() => {
          hubClockMs = hubJump.offsetMs;
          hub?.send({ clockOffsetMs: hubClockMs });
          mark(`hub clock jumps to ${Math.round(hubJump.offsetMs / 1000)} s`);
        }),
      );
    // Kills wait for a push of the agent in flight after their moment: "mid-sync".
    const killOnPush = (what: 'agent' | 'hub' | 'server', moment: number, downMs: number) =>
      sleep(moment)
        .then(() => Promise.race([agentProxy.nextPush(), sleep(3_000)]))
        .then(async () => {
          if (what === 'agent') {
            await agent!.kill();
            mark('SIGKILL agent');
            await sleep(downMs);
            agent = await startAgent();
            mark('agent restarted');
          } else if (what === 'hub') {
            await hub!.kill();
            mark('SIGKILL hub');
            await sleep(downMs);
            hub = await startHub();
            mark('hub restarted');
          } else if (server) {
            await server.kill();
            mark('SIGKILL server');
            await sleep(downMs);
            server = await startServer();
            mark('server restarted');
          }
        });
    if (timeline.killAgent)
      timed.push(killOnPush('agent', timeline.killAgent.at, timeline.killAgent.downMs));
    if (timeline.killHub)
      timed.push(killOnPush('hub', timeline.killHub.at, timeline.killHub.downMs));
    if (timeline.killServer && withCentral)
      timed.push(killOnPush('server', timeline.killServer.at, timeline.killServer.downMs));

    const [history] = await Promise.all([
      runLoad({
        hubUrl: () => hubUrl,
        kioskUrl: () => agentUrl,
        // The agent's "hub unreachable and no numbers left": a visitor tries again.
        kioskRetryStatuses: [503],
        // Counters slower than the kiosk: tickets wait, so a twin is often still waiting when
        // the agent's ticket arrives (cancelled), and sometimes already called (left alone).
        counterPauseMs: 400,
        kioskToken: folder.tokens.kiosk,
        counterTokens: folder.tokens.counters,
        issues,
        random: seededRandom(seed ^ 0xa9e47),
        seed,
      }),
      ...timed,
    ]);
    issued = history.issued.length;
    calls = history.calls.length;
    problems.push(...history.problems);
    mark(
      `load done: ${issued} issued, ${calls} calls, ${history.networkErrors} network errors, ${history.retriedAnswers} retried 503`,
    );

    for (const proxy of proxies) await proxy.heal();
    mark('healed');
    let last = '';
    const converged = async () => {
      const agentSide = readAgent(agentDb);
      const agreement = agentAgreement(agentSide, readHubAgentSide(hubDb, agentSide));
      last = agreement.detail;
      if (!upstream) return agreement.agreed;
      const hubSide = await hubTickets(downstream);
      const days = [...new Set(hubSide.tickets.map((t) => t.businessDay))];
      const serverSide = await serverTickets(upstream, days);
      const same = stateHash(hubSide.tickets) === stateHash(serverSide);
      const backlog = checkLogs(upstream, hubDb);
      last += `; central hash ${same ? 'equal' : 'differs'} (${hubSide.tickets.length} vs ${serverSide.length} tickets); ${backlog.join('; ')}`;
      return agreement.agreed && same && backlog.length === 0;
    };
    convergedMs = await within(CONVERGE_MS, converged);
    if (convergedMs === null) {
      const atLimit = last;
      const late = await within(LATE_LOOK_MS, converged);
      convergedMs = late === null ? null : CONVERGE_MS + late;
      problems.push(
        late === null
          ? `no convergence ${CONVERGE_MS + LATE_LOOK_MS} ms after the heal: ${last}`
          : `converged only ${convergedMs} ms after the heal (limit ${CONVERGE_MS}); at the limit: ${atLimit}`,
      );
    }
    mark(`converged in ${String(convergedMs)} ms`);

    // The history, checked on the hub (and the server).
    const agentSide = readAgent(agentDb);
    const hubAgent = readHubAgentSide(hubDb, agentSide);
    const offline = new Set(agentSide.tickets.map((t) => t.id));
    mark(
      `${history.issued.filter((t) => offline.has(t.id)).length} of ${issued} issued offline by the agent (log of ${agentSide.lastSeq} events)`,
    );
    const hubSide = await hubTickets(downstream);
    problems.push(...hubSide.problems);
    problems.push(...checkNoTicketLost(history, hubSide.tickets, 'hub'));
    problems.push(...checkNumbersUnique(hubSide.tickets));
    problems.push(...checkSingleCallerOnHub(history, hubDb));
    problems.push(...checkAgentLog(agentSide, hubAgent));
    const kioskDeviceId = (agentSide.agentId ?? '').replace(/^agent-/, '');
    const twins = checkTwins(history, hubDb, kioskDeviceId);
    problems.push(...twins.problems);
    mark(
      `twins: ${twins.cancelled} cancelled, ${twins.calledBefore} called before the agent's ticket arrived`,
    );
    problems.push(
      ...(await checkRepush(hubUrl, folder.tokens.kiosk, agentSide, hubDb, REPUSH_TIMES)),
    );
    if (upstream) {
      const days = [...new Set(hubSide.tickets.map((t) => t.businessDay))];
      const serverSide = await serverTickets(upstream, days);
      problems.push(...checkNoTicketLost(history, serverSide));
      problems.push(...checkNumbersUnique(serverSide));
      problems.push(...checkSingleCaller(history, upstream));
      problems.push(...checkLogs(upstream, hubDb));
    }

    // Clean stops must still work after all that (exit 0 on SIGTERM).
    const agentCode = await agent.stop();
    if (agentCode !== 0)
      problems.push(`agent exited ${String(agentCode)} on SIGTERM: ${agent.stderr().slice(-500)}`);
    const hubCode = await hub.stop();
    if (hubCode !== 0)
      problems.push(`hub exited ${String(hubCode)} on SIGTERM: ${hub.stderr().slice(-500)}`);
  } catch (error) {
    problems.push(`run failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    for (const [i, proxy] of proxies.entries()) {
      await proxy.close();
      for (const [k, v] of Object.entries(proxy.counts)) faults[i === 0 ? k : `central:${k}`] = v;
    }
    await killAllChildren();
    if (!options.keepDirs) {
      for (const dir of [folder.dir, agentDir, serverDir])
        if (dir) rmSync(dir, { recursive: true, force: true });
    }
  }
  return {
    seed,
    problems,
    ms: Date.now() - started,
    convergedMs,
    issued,
    calls,
    faults,
    events,
  };
}
