// Admin: list, create and inspect branches, including where each device log stands.
import { z } from 'zod';
import { Id } from '../../core/api/schemas';
import { errorResponses, type ZodApp } from '../../http/zod-app';
import { isoOrNull } from '../api/iso-time';
import { branchNotFound } from '../server-error';
import type { ServerStore } from '../store/ports';
import { BranchSummaryDto, toBranchDto } from './branch-dto';
import { createBranch } from './create-branch';

export const BranchParams = z.object({ branchId: Id }).strict();

const CreateBranchBody = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .regex(/^[^\p{Cc}]*$/u, 'no control characters'),
    id: Id.optional(),
  })
  .strict();

const BranchDetailDto = z.object({
  branch: BranchSummaryDto,
  devices: z.array(
    z.object({
      deviceId: z.string(),
      epoch: z.string(),
      ackSeq: z.number().int(),
      lastPushAt: z.string(),
    }),
  ),
  rejected: z.array(
    z.object({
      deviceId: z.string(),
      epoch: z.string(),
      deviceSeq: z.number().int(),
      eventId: z.string(),
      type: z.string(),
      reason: z.string(),
      receivedAt: z.string(),
    }),
  ),
});

const REJECTED_SHOWN = 100;

export function registerBranchRoutes(app: ZodApp, store: ServerStore): void {
  app.get(
    '/api/v1/branches',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        response: { 200: z.object({ branches: z.array(BranchSummaryDto) }), ...errorResponses },
      },
    },
    async () => ({ branches: (await store.listBranches()).map(toBranchDto) }),
  );

  app.post(
    '/api/v1/branches',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        body: CreateBranchBody,
        response: {
          201: z.object({ branch: BranchSummaryDto, token: z.string() }),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const created = await createBranch(store, request.body);
      return reply.code(201).send({ branch: toBranchDto(created.branch), token: created.token });
    },
  );

  app.get(
    '/api/v1/branches/:branchId',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['admin'],
        summary: 'A branch with its sync state: every device log and the latest rejected events',
        params: BranchParams,
        response: { 200: BranchDetailDto, ...errorResponses },
      },
    },
    async (request) => {
      const { branchId } = request.params;
      const branch = await store.branch(branchId);
      if (!branch) throw branchNotFound(branchId);
      const [devices, rejected] = await Promise.all([
        store.deviceLogs(branchId),
        store.rejectedEvents(branchId, REJECTED_SHOWN),
      ]);
      return {
        branch: toBranchDto(branch),
        devices: devices.map((d) => ({ ...d, lastPushAt: isoOrNull(d.lastPushAt) as string })),
        rejected: rejected.map((r) => ({ ...r, receivedAt: isoOrNull(r.receivedAt) as string })),
      };
    },
  );
}
