// The hub's configuration as the central server takes it on first link (core/sync/config.ts):
// branch settings, services, counters with their work profiles, and devices without their tokens.
import { BranchConfigInput } from '../../core/sync/config';
import type { Hub } from '../hub';

type ConfigSources = Pick<Hub, 'branch' | 'services' | 'counters' | 'devices'>;

const iso = (ms: number): string => new Date(ms).toISOString();

/** Reads the configuration; checked with the same schema the server applies, so a bad one fails here. */
export function configSnapshot(hub: ConfigSources): BranchConfigInput {
  const { id: _branchId, ...settings } = hub.branch.settings();
  return BranchConfigInput.parse({
    settings,
    services: hub.services.list().map((s) => ({
      id: s.id,
      prefix: s.prefix,
      name: s.name,
      open: s.open,
      position: s.position,
    })),
    counters: hub.counters.list().map((c) => ({
      id: c.id,
      name: c.name,
      profile: c.profile.map((e) => ({ serviceId: e.serviceId, weight: e.weight })),
    })),
    // Only what identifies a device: its tokens and pairing codes stay in this database.
    devices: hub.devices.list().map((d) => ({
      id: d.id,
      name: d.name,
      role: d.role,
      counterId: d.counterId,
      createdAt: iso(d.createdAt),
      revokedAt: d.revokedAt === null ? null : iso(d.revokedAt),
    })),
  });
}
