// A real agent process (next-day-blocks-agent-entry.ts: production startAgent, a clock the test
// sets at start) SIGKILLed and restarted while its hub is down across midnight: it numbers the new
// day from the next-day block it got at 23:50, continues after its last number through every
// kill, answers a retried Idempotency-Key with the same ticket, and the hub, back at 00:10, places
// every ticket once on its own day.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { agentDatabaseFile } from '../../hub/agent/agent-db';
import { ManualClock } from '../../hub/clock';
import { databaseFile } from '../../hub/run-hub';
import {
  call,
  cleanUpAfterEachCrash,
  createHub,
  killAgentProcess,
  readonly,
  spawnAgentProcess,
  tempDir,
  waitFor,
  type AgentProcess,
  type HubHandle,
} from './agent-harness';
import { paris } from './next-day-blocks-world';

const ENTRY = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'next-day-blocks-agent-entry.ts',
);
const D = '2026-11-23';
const D1 = '2026-11-24';

const leftovers = cleanUpAfterEachCrash();

/** Starts the agent with its clock at `now`; resolves once it prints its URL (bounded). */
function startAgentAt(now: number, dir: string, h: HubHandle): Promise<AgentProcess> {
  return spawnAgentProcess(['--import', 'tsx', ENTRY], {
    NEXT_DAY_AGENT_NOW: String(now),
    NEXT_DAY_AGENT_DATA: dir,
    NEXT_DAY_AGENT_HUB: h.url,
    NEXT_DAY_AGENT_TOKEN: h.tokens.kiosk,
  });
}

describe('guichet agent SIGKILLed while offline across midnight', () => {
  it('numbers the new day from its next-day block, never reusing a number, and the hub keeps each day', async () => {
    const hubClock = new ManualClock(paris(`${D}T23:50`));
    const h = (leftovers.hub = await createHub(hubClock));
    const dir = (leftovers.dataDir = tempDir('guichet-next-day-crash-'));
    const token = h.tokens.kiosk;
    let agent = await startAgentAt(paris(`${D}T23:50`), dir, h);
    // Its first round is done (services, today's and tomorrow's blocks) once it reports online.
    await waitFor('the agent to reach the hub', async () => {
      const health = await call<{ hub: string }>(agent.url, 'GET', '/api/v1/health');
      return health.body.hub === 'online' ? true : null;
    });
    const nextDayBlocks = readonly(agentDatabaseFile(dir), (db) =>
      db.prepare('SELECT COUNT(*) FROM blocks WHERE business_day = ?').pluck().get(D1),
    );
    expect(nextDayBlocks).toBe(4);

    await h.stop(); // the hub is down from 23:50 to 00:10
    const issue = async (key?: string, replay = false) => {
      const answer = await call<{ id: string; number: string; businessDay: string }>(
        agent.url,
        'POST',
        '/api/v1/tickets',
        {
          token,
          body: { serviceId: 'etat-civil' },
          ...(key ? { headers: { 'idempotency-key': key } } : {}),
        },
      );
      expect(answer.status).toBe(201);
      const header = replay ? 'idempotent-replayed' : 'x-guichet-offline';
      expect(answer.headers.get(header)).toBe('true');
      return answer.body;
    };
    expect([await issue(), await issue()].map((t) => [t.businessDay, t.number])).toEqual([
      [D, 'A501'],
      [D, 'A502'],
    ]);

    await killAgentProcess(agent.child);
    agent = await startAgentAt(paris(`${D1}T00:05`), dir, h);
    const midnight = await issue('k-after-midnight');
    expect([midnight.businessDay, midnight.number]).toEqual([D1, 'A501']);
    expect(await issue()).toMatchObject({ businessDay: D1, number: 'A502' });

    await killAgentProcess(agent.child);
    agent = await startAgentAt(paris(`${D1}T00:07`), dir, h);
    // The kiosk retrying its request after the crash gets the same ticket, not a new number.
    expect((await issue('k-after-midnight', true)).id).toBe(midnight.id);
    expect(await issue()).toMatchObject({ businessDay: D1, number: 'A503' });

    hubClock.set(paris(`${D1}T00:10`));
    await h.start();
    const onHub = await waitFor(
      'the agent to push its tickets',
      async () => {
        const rows = readonly(databaseFile(h.dir), (db) =>
          db
            .prepare('SELECT business_day AS day, number FROM tickets ORDER BY business_day, seq')
            .all(),
        );
        return rows.length >= 5 ? rows : null;
      },
      30_000,
    );
    expect(onHub).toEqual([
      { day: D, number: 'A501' },
      { day: D, number: 'A502' },
      { day: D1, number: 'A501' },
      { day: D1, number: 'A502' },
      { day: D1, number: 'A503' },
    ]);
    const atHub = await call<{ number: string; businessDay: string }>(
      h.url,
      'POST',
      '/api/v1/tickets',
      { token, body: { serviceId: 'etat-civil' } },
    );
    expect(atHub.body).toMatchObject({ number: 'A001', businessDay: D1 });
    const rejected = readonly(databaseFile(h.dir), (db) =>
      db.prepare("SELECT COUNT(*) FROM agent_events WHERE status = 'rejected'").pluck().get(),
    );
    expect(rejected).toBe(0);
  }, 90_000);
});
