// GET /api/v1/sync/status (admin): the central link as the admin screen shows it. The token is
// never in it; the central URL is reduced to its host.
import { SyncStatusDto } from '../../../core/api/schemas';
import { ADMIN } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';

export function registerSyncStatusRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/sync/status',
    {
      config: { roles: ADMIN },
      schema: { tags: ['sync'], response: { 200: SyncStatusDto, ...errorResponses } },
    },
    () => hub.sync.status(),
  );
}
