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
  centralAgreement,
  checkNoTicketLost,
  checkNumbersUnique,
  checkServer,
  checkSingleCallerOnHub,
  hubTickets,
  type DownstreamView,
  type UpstreamView,
} from './history-checks';
import {
  freePorts,
  killAllChildren,
  prepareServer,
  Role,
  startAgentEntry,
  startHubEntry,
  startServerProcess,
} from './processes';
import {
  PUSH,
  awaitConvergence,
  checkCleanStop,
  drawFault,
  jumpClockAt,
  killOnPush,
  lastLines,
  loadUnderFaults,
  partitionAt,
  planFor,
  recordRun,
  reportIfLate,
  within,
  type RunRecord,
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
/**
 * The agent's first round (services, blocks) before the faults start: three processes start at
 * once, and on a loaded 2-core CI machine that took over 20 s once. A deadline, not a wait.
 */
const AGENT_READY_MS = 60_000;

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

/** Everything the seed decides, drawn before anything runs (the CI seeds were chosen from it). */
export function drawAgentRun(seed: number, forwardTimeoutMs: number) {
  const random = seededRandom(seed);
  const agentPlan = agentLinkPlan(random, forwardTimeoutMs);
  const centralPlan = planFor(random);
  const timeline = {
    agentPartitions: Array.from({ length: Math.floor(random() * 3) }, () =>
      drawFault.partition(random),
    ),
    centralPartition: random() < 0.5 ? drawFault.partition(random) : null,
    killAgent: random() < 0.6 ? drawFault.kill(random, 300) : null,
    killHub: random() < 0.5 ? drawFault.kill(random, 300) : null,
    killServer: random() < 0.3 ? drawFault.kill(random, 500) : null,
    agentClock: random() < 0.6 ? drawFault.clockJump(random) : null,
    hubClock: random() < 0.4 ? drawFault.clockJump(random) : null,
  };
  return { random, agentPlan, centralPlan, timeline };
}

/**
 * Resolves once the agent reports its hub online (its first round, services and blocks, done):
 * the ms it took. Fresh connections, as the agent may just have been restarted.
 */
export async function agentOnline(agentUrl: string, timeoutMs = AGENT_READY_MS): Promise<number> {
  const ready = await within(timeoutMs, async () => {
    const health = await call<{ hub?: string }>(agentUrl, 'GET', '/api/v1/health', {
      headers: { connection: 'close' },
    });
    return health.body.hub === 'online';
  });
  if (ready === null) throw new Error(`the agent did not reach the hub in ${timeoutMs} ms`);
  return ready;
}

export async function runAgentScenario(options: AgentRunOptions): Promise<RunResult> {
  const { seed } = options;
  const withCentral = options.central ?? true;
  const forwardTimeoutMs = options.forwardTimeoutMs ?? 400;
  const { random, agentPlan, centralPlan, timeline } = drawAgentRun(seed, forwardTimeoutMs);
  const issues = options.issues ?? 30;

  const folder = demoFolder();
  const agentDir = mkdtempSync(path.join(tmpdir(), 'guichet-faults-agent-'));
  const serverDir = withCentral ? mkdtempSync(path.join(tmpdir(), 'guichet-faults-server-')) : null;
  const proxies: FaultProxy[] = [];
  const run = async (record: RunRecord) => {
    const { problems, mark } = record;
    const ports = await freePorts(['hub', 'agent', 'server', 'agentProxy', 'centralProxy']);
    const { hub: hubPort, agent: agentPort, server: serverPort } = ports;
    const hubUrl = `http://127.0.0.1:${hubPort}`;
    const agentUrl = `http://127.0.0.1:${agentPort}`;
    const agentProxy = new FaultProxy({
      upstreamPort: hubPort,
      random,
      plan: agentPlan,
      isPush: PUSH,
    });
    proxies.push(agentProxy);
    await agentProxy.listen(ports.agentProxy);
    const centralProxy = withCentral
      ? new FaultProxy({ upstreamPort: serverPort, random, plan: centralPlan, isPush: PUSH })
      : null;
    if (centralProxy) {
      proxies.push(centralProxy);
      await centralProxy.listen(ports.centralProxy);
    }

    const server = serverDir
      ? new Role('server', () => startServerProcess(serverDir, serverPort))
      : null;
    const central = serverDir && server ? prepareServer(serverDir, server) : null;
    const link = central ? await central.link : null;
    let hubClockMs = 0;
    let agentClockMs = 0;
    const hub = new Role('hub', () =>
      startHubEntry({
        dir: folder.dir,
        port: hubPort,
        clockOffsetMs: hubClockMs,
        ...(centralProxy && link
          ? { centralUrl: centralProxy.url, centralToken: link.branchToken }
          : {}),
      }),
    );
    const agent = new Role('agent', () =>
      startAgentEntry({
        dir: agentDir,
        port: agentPort,
        hubUrl: agentProxy.url,
        token: folder.tokens.kiosk,
        clockOffsetMs: agentClockMs,
        forwardTimeoutMs,
      }),
    );
    // Three start-ups overlap: an agent up before its hub simply retries until the hub answers.
    await Promise.all([hub.start(), agent.start(), central?.started]);
    const onlineMs = await agentOnline(agentUrl).catch((error: unknown) => {
      // Why it never got there is in its warnings (failed sync rounds) and the hub's.
      const message = error instanceof Error ? error.message : String(error);
      throw new Error(`${message}; agent said: ${lastLines(agent)}; hub said: ${lastLines(hub)}`);
    });
    mark(`agent online in ${onlineMs} ms`);

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
      timed.push(partitionAt(agentProxy, p, 'agent↔hub partition', mark));
    if (centralProxy && timeline.centralPartition)
      timed.push(
        partitionAt(centralProxy, timeline.centralPartition, 'hub↔central partition', mark),
      );
    const moveAgentClock = (offsetMs: number) => {
      agentClockMs = offsetMs;
      agent.send({ clockOffsetMs: agentClockMs });
    };
    const moveHubClock = (offsetMs: number) => {
      hubClockMs = offsetMs;
      hub.send({ clockOffsetMs: hubClockMs });
    };
    if (timeline.agentClock)
      timed.push(jumpClockAt(timeline.agentClock, 'agent', moveAgentClock, mark));
    if (timeline.hubClock) timed.push(jumpClockAt(timeline.hubClock, 'hub', moveHubClock, mark));
    // Kills wait for a push of the agent in flight after their moment: "mid-sync".
    if (timeline.killAgent) timed.push(killOnPush(agentProxy, timeline.killAgent, agent, mark));
    if (timeline.killHub) timed.push(killOnPush(agentProxy, timeline.killHub, hub, mark));
    if (timeline.killServer && server)
      timed.push(killOnPush(agentProxy, timeline.killServer, server, mark));

    const history = await loadUnderFaults(
      record,
      {
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
      },
      timed,
    );
    mark(
      `load done: ${record.issued} issued, ${record.calls} calls, ${history.networkErrors} network errors, ${history.retriedAnswers} retried 503`,
    );

    for (const proxy of proxies) await proxy.heal();
    mark('healed');
    record.convergedMs = await awaitConvergence(async () => {
      const agentSide = readAgent(agentDb);
      const agreement = agentAgreement(agentSide, readHubAgentSide(hubDb, agentSide));
      if (!upstream) return agreement;
      const withServer = await centralAgreement(downstream, upstream);
      return {
        agreed: agreement.agreed && withServer.agreed,
        detail: `${agreement.detail}; central ${withServer.detail}`,
      };
    }, problems);
    mark(`converged in ${String(record.convergedMs)} ms`);
    reportIfLate(record, [agent, hub, ...(server ? [server] : [])], {
      'agent↔hub': agentProxy,
      ...(centralProxy ? { 'hub↔central': centralProxy } : {}),
    });

    // The history, checked on the hub (and the server).
    const agentSide = readAgent(agentDb);
    const hubAgent = readHubAgentSide(hubDb, agentSide);
    const offline = new Set(agentSide.tickets.map((t) => t.id));
    mark(
      `${history.issued.filter((t) => offline.has(t.id)).length} of ${record.issued} issued offline by the agent (log of ${agentSide.lastSeq} events)`,
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
    if (upstream) problems.push(...(await checkServer(history, hubSide.tickets, upstream, hubDb)));

    problems.push(...(await checkCleanStop(agent)));
    problems.push(...(await checkCleanStop(hub)));
  };

  return recordRun(seed, run, async (record) => {
    for (const [i, proxy] of proxies.entries()) {
      await proxy.close();
      for (const [k, v] of Object.entries(proxy.counts))
        record.faults[i === 0 ? k : `central:${k}`] = v;
    }
    await killAllChildren();
    if (!options.keepDirs) {
      for (const dir of [folder.dir, agentDir, serverDir])
        if (dir) rmSync(dir, { recursive: true, force: true });
    }
  });
}
