import { z } from 'zod';
import { BranchDto, LangCode } from '../../../core/api/schemas';
import { BranchSettings } from '../../../core/sync/config';
import { actorOf, ADMIN, READ_ROLES } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';
import { registerSyncStatusRoutes } from '../sync-status/sync-status-routes';

const Template = z
  .string()
  .min(1)
  .max(300)
  .refine((t) => t.includes('{number}'), 'a template must contain {number}');

/**
 * The settings an admin may change: the branch settings that travel in the synced configuration
 * (one schema, core/sync/config.ts), less the time zone, with the hub's stricter template rule.
 */
const BranchPatchBody = BranchSettings.omit({ timeZone: true })
  .extend({ announcementTemplates: z.record(LangCode, Template) })
  .partial()
  .strict();

export function registerBranchRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/branch',
    {
      config: { roles: READ_ROLES },
      schema: { tags: ['branch'], response: { 200: BranchDto, ...errorResponses } },
    },
    () => hub.branch.dto(),
  );
  app.patch(
    '/api/v1/branch',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['branch'],
        body: BranchPatchBody,
        response: { 200: BranchDto, ...errorResponses },
      },
    },
    (request) => hub.branch.patch(request.body, actorOf(request)),
  );
  // The branch's link to the central server, beside the branch it links.
  registerSyncStatusRoutes(app, hub);
}
