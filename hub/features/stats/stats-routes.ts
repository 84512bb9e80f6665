import { TodayStatsDto } from '../../../core/api/schemas';
import { ADMIN } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';

export function registerStatsRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/stats/today',
    {
      config: { roles: ADMIN },
      schema: { tags: ['stats'], response: { 200: TodayStatsDto, ...errorResponses } },
    },
    () => hub.stats.today(),
  );
}
