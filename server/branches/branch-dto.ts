// What the admin API says about branches.
import { z } from 'zod';
import type { BranchRecord } from '../store/ports';
import { isoOrNull } from '../api/iso-time';

export const BranchSummaryDto = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  /** 0 while no hub linked and no admin configured it. */
  configVersion: z.number().int(),
  eventCount: z.number().int(),
  rejectedCount: z.number().int(),
  lastPushAt: z.string().nullable(),
});
export type BranchSummaryDto = z.infer<typeof BranchSummaryDto>;

export const toBranchDto = (b: BranchRecord): BranchSummaryDto => ({
  id: b.id,
  name: b.name,
  createdAt: new Date(b.createdAt).toISOString(),
  configVersion: b.configVersion,
  eventCount: b.eventCount,
  rejectedCount: b.rejectedCount,
  lastPushAt: isoOrNull(b.lastPushAt),
});
