import { z } from 'zod';
import { BranchDto, LangCode } from '../../../core/api/schemas';
import { actorOf, ADMIN, READ_ROLES } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';
import { registerSyncStatusRoutes } from '../sync-status/sync-status-routes';

const Template = z
  .string()
  .min(1)
  .max(300)
  .refine((t) => t.includes('{number}'), 'a template must contain {number}');

const BranchPatchBody = z
  .object({
    name: z.string().trim().min(1).max(120),
    languages: z.array(LangCode).min(1).max(20),
    defaultLang: LangCode,
    capacity: z.number().int().min(1).max(100_000).nullable(),
    priorityEnabled: z.boolean(),
    inactivityTimeoutSec: z.number().int().min(5).max(600),
    announcementTemplates: z.record(LangCode, Template),
    priorityCap: z.number().int().min(1).max(20),
    agingThresholdSec: z
      .number()
      .int()
      .min(60)
      .max(24 * 3600),
    maxRecalls: z.number().int().min(0).max(10),
  })
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
