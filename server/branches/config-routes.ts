// Admin: a branch's configuration. Once a branch is linked the server is its source: a PUT here
// makes a new version, which every hub of the branch receives with its next pull (poked now).
import { z } from 'zod';
import { BranchConfig, BranchConfigInput } from '../../core/sync/config';
import { errorResponses, type ZodApp } from '../../http/zod-app';
import type { ServerStore } from '../store/ports';
import { BranchParams } from './branch-routes';

const PutConfigBody = z
  .object({
    /** The version the edit was made against: a 409 when someone changed it meanwhile. */
    ifVersion: z.number().int().min(0).optional(),
    config: BranchConfigInput,
  })
  .strict();

const ConfigAnswer = z.object({ config: BranchConfig.nullable() });

export function registerConfigRoutes(app: ZodApp, store: ServerStore): void {
  app.get(
    '/api/v1/branches/:branchId/config',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'The current configuration, or null for an empty branch',
        params: BranchParams,
        response: { 200: ConfigAnswer, ...errorResponses },
      },
    },
    async (request) => ({ config: await store.config(request.params.branchId) }),
  );

  app.put(
    '/api/v1/branches/:branchId/config',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'Replace the configuration (a new version unless nothing changed)',
        params: BranchParams,
        body: PutConfigBody,
        response: { 200: ConfigAnswer, ...errorResponses },
      },
    },
    async (request) => {
      const { ifVersion, config } = request.body;
      const result = await store.writeConfig(
        request.params.branchId,
        config,
        ifVersion === undefined ? { mode: 'replace' } : { mode: 'replace', ifVersion },
        Date.now(),
      );
      return { config: result.config };
    },
  );
}
