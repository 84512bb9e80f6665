// Who is asking: the authenticated device behind a request (or the hub itself, for the CLI).
import type { Role } from '../../core/api/schemas';

export interface Actor {
  deviceId: string;
  role: Role;
  /** Set for counter devices: the one counter they act for. */
  counterId: string | null;
}

/** The CLI and seeding act as the hub's own administrator. */
export const systemActor = (hubDeviceId: string): Actor => ({
  deviceId: hubDeviceId,
  role: 'admin',
  counterId: null,
});
