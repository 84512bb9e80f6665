// A real `guichet agent` process, SIGKILLed after issuing offline and started again on the same
// data folder: it continues after its last used number, and every ticket reaches the hub once.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../hub/run-hub';
import {
  call,
  cleanUpAfterEachCrash,
  createHub,
  killAgentProcess,
  spawnAgentProcess,
  tempDir,
  waitFor,
  type AgentProcess,
} from './agent-harness';

const BIN = path.join(REPO_ROOT, 'bin', 'guichet.mjs');
const leftovers = cleanUpAfterEachCrash();

/** Starts `guichet agent` (the token in the environment) and resolves with its URL (bounded). */
function startAgentProcess(dir: string, hubUrl: string, token: string): Promise<AgentProcess> {
  return spawnAgentProcess(
    [BIN, 'agent', '--data', dir, '--hub', hubUrl, '--port', '0', '--log-level', 'error'],
    { GUICHET_AGENT_TOKEN: token },
  );
}

describe('guichet agent after a SIGKILL', () => {
  it('continues after its last used number and hands every ticket to the hub once', async () => {
    const h = (leftovers.hub = await createHub());
    const dataDir = (leftovers.dataDir = tempDir('guichet-agent-crash-'));
    const token = h.tokens.kiosk;
    let agent = await startAgentProcess(dataDir, h.url, token);
    const agentUrl = () => agent.url;
    // Its first round (services, blocks) is done when it reports the hub online.
    await waitFor('the agent to reach the hub', async () => {
      const health = await call<{ hub: string }>(agentUrl(), 'GET', '/api/v1/health');
      return health.body.hub === 'online' ? true : null;
    });

    await h.stop();
    const offline = async () =>
      call<{ number: string }>(agentUrl(), 'POST', '/api/v1/tickets', {
        token,
        body: { serviceId: 'etat-civil' },
      });
    const before = [await offline(), await offline(), await offline()];
    expect(before.map((a) => [a.status, a.body.number])).toEqual([
      [201, 'A501'],
      [201, 'A502'],
      [201, 'A503'],
    ]);

    await killAgentProcess(agent.child);
    agent = await startAgentProcess(dataDir, h.url, token);
    const after = await offline();
    expect([after.status, after.body.number]).toEqual([201, 'A504']);

    await h.start();
    const numbers = await waitFor(
      'the agent to push its tickets',
      async () => {
        const queue = await call<{ waiting: { number: string }[] }>(h.url, 'GET', '/api/v1/queue', {
          token: h.tokens.display,
        });
        return queue.body.waiting.length >= 4 ? queue.body.waiting.map((t) => t.number) : null;
      },
      45_000,
    );
    expect(numbers).toEqual(['A501', 'A502', 'A503', 'A504']);
    // The hub's own numbering starts below the agent's block, untouched by its tickets.
    const atHub = await call<{ number: string }>(h.url, 'POST', '/api/v1/tickets', {
      token,
      body: { serviceId: 'etat-civil' },
    });
    expect(atHub.body.number).toBe('A001');
  }, 90_000);
});
