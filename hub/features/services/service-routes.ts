import { z } from 'zod';
import { LocalizedText, ServiceDto } from '../../../core/api/schemas';
import type { Service } from '../../../core/model';
import { actorOf, ADMIN, READ_ROLES } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';
import { merged } from '../../../core/records';

const Names = LocalizedText.refine(
  (names) => Object.keys(names).length > 0,
  'give the name in at least one language',
);
const NewServiceBody = z
  .object({
    prefix: z.string().regex(/^[A-Z]$/, 'one capital letter A–Z'),
    name: Names,
    open: z.boolean().optional(),
  })
  .strict();
const ServicePatchBody = z
  .object({
    prefix: z
      .string()
      .regex(/^[A-Z]$/, 'one capital letter A–Z')
      .optional(),
    name: Names.optional(),
    open: z.boolean().optional(),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .strict();

export function serviceDto(hub: Hub, service: Service): ServiceDto {
  return merged(service, hub.tickets.serviceSummary(service.id));
}

export function registerServiceRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/services',
    {
      config: { roles: READ_ROLES },
      schema: {
        tags: ['services'],
        summary: 'Services with people waiting and the estimated wait',
        response: { 200: z.array(ServiceDto), ...errorResponses },
      },
    },
    () => hub.services.list().map((s) => serviceDto(hub, s)),
  );

  app.post(
    '/api/v1/services',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['services'],
        body: NewServiceBody,
        response: { 201: ServiceDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => ({
        statusCode: 201,
        body: serviceDto(hub, hub.services.create(request.body, actorOf(request))),
      })),
  );

  app.patch(
    '/api/v1/services/:id',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['services'],
        params: IdParams,
        body: ServicePatchBody,
        response: { 200: ServiceDto, ...errorResponses },
      },
    },
    (request) =>
      serviceDto(hub, hub.services.patch(request.params.id, request.body, actorOf(request))),
  );
}
