// The hub's receiving side toward kiosk agents: number blocks granted in advance and the push of
// an agent's log (docs/sync.md, "Offline kiosks: number blocks"), kiosk device tokens only; and
// for the admin, each agent log's sync state with the events the hub refused.
import { z } from 'zod';
import {
  AgentSyncStateDto,
  NumberBlockDto,
  NumberBlockRequest,
  type Role,
} from '../../../core/api/schemas';
import { PushAnswer, PushBody } from '../../../core/sync/protocol';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { ADMIN, actorOf } from '../../api/auth';
import type { Hub } from '../../hub';
import { AgentSyncStates } from './agent-sync-state';

const KIOSK: readonly Role[] = ['kiosk'];
/** A push of 500 events is larger than a command: the protocol allows 256 KB. */
const PUSH_BODY_LIMIT = 300 * 1024;

export function registerAgentSyncRoutes(app: ZodApp, hub: Hub): void {
  app.post(
    '/api/v1/number-blocks',
    {
      config: { roles: KIOSK },
      schema: {
        tags: ['sync'],
        summary: "Grant the calling kiosk's agent a block of numbers for offline issuing",
        body: NumberBlockRequest,
        response: { 201: NumberBlockDto, ...errorResponses },
      },
    },
    async (request, reply) => {
      const block = hub.numberBlocks.grant(actorOf(request).deviceId, request.body);
      reply.code(201);
      return block;
    },
  );

  app.post(
    '/api/v1/sync/push',
    {
      bodyLimit: PUSH_BODY_LIMIT,
      config: { roles: KIOSK },
      schema: {
        tags: ['sync'],
        summary: "Receive a kiosk agent's log (docs/sync.md, Push)",
        body: PushBody,
        response: { 200: PushAnswer, ...errorResponses },
      },
    },
    (request) => hub.agentPushes.receive(request.body, actorOf(request)),
  );

  const states = new AgentSyncStates(hub.ctx.db, hub.agentPushes);
  app.get(
    '/api/v1/sync/agents',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['sync'],
        summary: "Each kiosk agent log's sync state, with the events the hub refused",
        querystring: z.object({}).strict(),
        response: { 200: z.array(AgentSyncStateDto), ...errorResponses },
      },
    },
    () => states.list(),
  );
}
