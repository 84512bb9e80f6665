// A hub and kiosk agents for the next-day block tests, in this process: real SQLite files, the
// hub behind a relay the test cuts and heals, and two clocks set by hand (the hub's and the
// agent's), so a test puts both at 23:50 in Paris and walks them across midnight.
import { rmSync } from 'node:fs';
import { ManualClock } from '../../hub/clock';
import { agentDatabaseFile } from '../../hub/agent/agent-db';
import { startAgent, type RunningAgent } from '../../hub/agent/run-agent';
import { databaseFile } from '../../hub/run-hub';
import {
  call,
  createHub,
  manualAgentOptions,
  readonly,
  startRelay,
  tempDir,
  type HubHandle,
  type Relay,
} from './agent-harness';

/** Paris local time in November (CET, UTC+1): `paris('2026-11-23T23:50')`. */
export const paris = (local: string): number => Date.parse(`${local}:00+01:00`);
export const MINUTE = 60_000;

export interface Answer {
  status: number;
  offline: boolean;
  id: string;
  number: string;
  businessDay: string;
  queuedAt: string;
}

export interface HubTicketRow {
  id: string;
  service: string;
  day: string;
  seq: number;
  number: string;
  queuedAt: number;
}

export interface BlockRow {
  epoch: string;
  service: string;
  day: string;
  from: number;
  to: number;
  retired: boolean;
}

export interface AgentBlockRow {
  service: string;
  day: string;
  from: number;
  to: number;
  next: number;
}

export interface World {
  hubClock: ManualClock;
  agentClock: ManualClock;
  hub: HubHandle;
  relay: Relay;
  /** An agent whose background rounds never run by themselves: the test calls syncNow(). */
  agent(dir?: string): Promise<RunningAgent>;
  dirOf(agent: RunningAgent): string;
  stopAgent(agent: RunningAgent): Promise<void>;
  freshDir(): string;
  atAgent(agent: RunningAgent, serviceId?: string, key?: string): Promise<Answer>;
  atHub(serviceId?: string): Promise<Answer>;
  /** Moves both clocks (the agent's keeps its skew). */
  tick(ms: number): void;
  hubTickets(): HubTicketRow[];
  hubBlocks(): BlockRow[];
  /** Agent events the hub stored as rejected. */
  hubRejected(): number;
  agentBlocks(agent: RunningAgent): AgentBlockRow[];
  dispose(): Promise<void>;
}

export const BLOCK_SIZE = 10;

export async function createWorld(hubStart: number, agentSkewMs = 0): Promise<World> {
  const hubClock = new ManualClock(hubStart);
  const agentClock = new ManualClock(hubStart + agentSkewMs);
  const hub = await createHub(hubClock);
  const relay = await startRelay(hub.port);
  const running = new Set<RunningAgent>();
  const dirs: string[] = [];
  const dirOfAgent = new Map<RunningAgent, string>();

  const toAnswer = (a: { status: number; body: unknown; headers: Headers }): Answer => {
    const body = (a.body ?? {}) as Partial<Answer>;
    return {
      status: a.status,
      offline: a.headers.get('x-guichet-offline') === 'true',
      id: body.id ?? '',
      number: body.number ?? '',
      businessDay: body.businessDay ?? '',
      queuedAt: body.queuedAt ?? '',
    };
  };

  const world: World = {
    hubClock,
    agentClock,
    hub,
    relay,
    freshDir() {
      const dir = tempDir('guichet-next-day-');
      dirs.push(dir);
      return dir;
    },
    async agent(dir = world.freshDir()) {
      const agent = await startAgent({
        ...manualAgentOptions(dir, relay.url, hub.tokens.kiosk),
        clock: agentClock,
        blockSize: BLOCK_SIZE,
      });
      running.add(agent);
      dirOfAgent.set(agent, dir);
      return agent;
    },
    dirOf(agent) {
      const dir = dirOfAgent.get(agent);
      if (!dir) throw new Error('unknown agent');
      return dir;
    },
    async stopAgent(agent) {
      running.delete(agent);
      await agent.stop();
    },
    async atAgent(agent, serviceId = 'etat-civil', key) {
      return toAnswer(
        await call(agent.url, 'POST', '/api/v1/tickets', {
          token: hub.tokens.kiosk,
          body: { serviceId },
          ...(key ? { headers: { 'idempotency-key': key } } : {}),
        }),
      );
    },
    async atHub(serviceId = 'etat-civil') {
      return toAnswer(
        await call(hub.url, 'POST', '/api/v1/tickets', {
          token: hub.tokens.kiosk,
          body: { serviceId },
        }),
      );
    },
    tick(ms) {
      hubClock.advance(ms);
      agentClock.advance(ms);
    },
    hubTickets: () =>
      readonly(databaseFile(hub.dir), (db) =>
        db
          .prepare(
            `SELECT id, issued_service_id AS service, business_day AS day, seq, number, queued_at AS queuedAt
             FROM tickets ORDER BY issued_service_id, business_day, seq`,
          )
          .all(),
      ) as HubTicketRow[],
    hubBlocks: () =>
      (
        readonly(databaseFile(hub.dir), (db) =>
          db
            .prepare(
              `SELECT epoch, service_id AS service, business_day AS day, from_seq AS "from", to_seq AS "to",
                 retired_at IS NOT NULL AS retired
               FROM number_blocks ORDER BY service_id, business_day, from_seq`,
            )
            .all(),
        ) as (Omit<BlockRow, 'retired'> & { retired: number })[]
      ).map((r) => ({ ...r, retired: r.retired === 1 })),
    hubRejected: () =>
      readonly(databaseFile(hub.dir), (db) =>
        db.prepare("SELECT COUNT(*) FROM agent_events WHERE status = 'rejected'").pluck().get(),
      ) as number,
    agentBlocks: (agent) =>
      readonly(agentDatabaseFile(world.dirOf(agent)), (db) =>
        db
          .prepare(
            `SELECT service_id AS service, business_day AS day, from_seq AS "from", to_seq AS "to", next_seq AS next
             FROM blocks ORDER BY service_id, business_day, from_seq`,
          )
          .all(),
      ) as AgentBlockRow[],
    async dispose() {
      for (const agent of running) await agent.stop();
      running.clear();
      await relay.close();
      await hub.dispose();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}

/** Every (service, day, number) given to a visitor more than once: must stay empty. */
export function duplicates(
  tickets: readonly { service: string; day: string; number: string }[],
): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const t of tickets) {
    const key = `${t.service} ${t.day} ${t.number}`;
    if (seen.has(key)) twice.push(key);
    seen.add(key);
  }
  return twice;
}
