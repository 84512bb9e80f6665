import { z } from 'zod';
import { CreatedDeviceDto, DeviceDto, MeDto, ROLES } from '../../../core/api/schemas';
import { actorOf, ADMIN, READ_ROLES, setTokenCookie, TOKEN_COOKIE } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import type { Device } from './device-store';
import { merged } from '../../../core/records';

const toDto = (d: Device): DeviceDto =>
  merged(d, {
    createdAt: new Date(d.createdAt).toISOString(),
    revokedAt: d.revokedAt === null ? null : new Date(d.revokedAt).toISOString(),
  });

const NewDeviceBody = z
  .object({
    role: z.enum(ROLES),
    name: z.string().trim().min(1).max(60).optional(),
    counterId: z.string().min(1).max(64).optional(),
  })
  .strict();
const PairBody = z.union([
  z.object({ token: z.string().min(1).max(512) }).strict(),
  z.object({ code: z.string().min(4).max(32) }).strict(),
]);

function meOf(hub: Hub, actor: Actor): MeDto {
  const device = hub.devices.get(actor.deviceId);
  return { deviceId: device.id, name: device.name, role: device.role, counterId: device.counterId };
}

export function registerDeviceRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/health',
    { schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } },
    () => ({
      status: 'ok' as const,
    }),
  );

  app.get(
    '/api/v1/me',
    {
      config: { roles: READ_ROLES },
      schema: { tags: ['devices'], response: { 200: MeDto, ...errorResponses } },
    },
    (request) => meOf(hub, actorOf(request)),
  );

  // Pairing turns a token or a short code into an HttpOnly cookie, so a screen never keeps its
  // secret where page scripts (or anyone reading localStorage) could take it.
  app.post(
    '/api/v1/pair',
    { schema: { tags: ['devices'], body: PairBody, response: { 200: MeDto, ...errorResponses } } },
    (request, reply) => {
      const body = request.body;
      let paired: { actor: Actor; token: string } | null;
      if ('token' in body) {
        const actor = hub.devices.authenticate(body.token);
        paired = actor ? { actor, token: body.token } : null;
      } else {
        paired = hub.devices.redeemPairingCode(body.code);
      }
      if (!paired)
        throw new HubError(
          401,
          'pairing_failed',
          'This code or token is unknown, used or expired.',
        );
      setTokenCookie(request, reply, paired.token);
      return meOf(hub, paired.actor);
    },
  );

  app.post(
    '/api/v1/unpair',
    {
      config: { roles: READ_ROLES },
      schema: { tags: ['devices'], response: { 204: z.undefined() } },
    },
    (_request, reply) => {
      reply.clearCookie(TOKEN_COOKIE, { path: '/' });
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/devices',
    {
      config: { roles: ADMIN },
      schema: { tags: ['devices'], response: { 200: z.array(DeviceDto), ...errorResponses } },
    },
    () => hub.devices.list().map(toDto),
  );

  app.post(
    '/api/v1/devices',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['devices'],
        summary: 'Create a device; its token and pairing code are shown only in this answer',
        body: NewDeviceBody,
        response: { 201: CreatedDeviceDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(
        hub,
        request,
        reply,
        () => {
          const created = hub.devices.create(request.body, actorOf(request));
          return { statusCode: 201, body: merged(created, { device: toDto(created.device) }) };
        },
        {
          // The ledger keeps the device, never its token: a replay hands out fresh credentials.
          store: (body) => ({ device: (body as CreatedDeviceDto).device }),
          replay: (stored) => {
            const { device } = stored as Pick<CreatedDeviceDto, 'device'>;
            return { device, ...hub.devices.reissue(device.id) };
          },
        },
      ),
  );

  app.post(
    '/api/v1/devices/:id/revoke',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['devices'],
        params: IdParams,
        response: { 200: DeviceDto, ...errorResponses },
      },
    },
    (request, reply) =>
      idempotent(hub, request, reply, () => ({
        statusCode: 200,
        body: toDto(hub.devices.revoke(request.params.id, actorOf(request))),
      })),
  );
}
