// Live messages for some screens only: printer status, print jobs, scanner results. Unlike the
// event bus these are not state changes: nothing is stored, they carry no seq, and each names
// its audience (a kiosk sees its own scans, not every kiosk's).
import type { HubLiveMessage, Role } from '../../../core/api/schemas';

export interface LiveAudience {
  deviceIds?: readonly string[];
  roles?: readonly Role[];
}

export interface LiveDelivery {
  message: HubLiveMessage;
  to: LiveAudience;
}

export type LiveListener = (delivery: LiveDelivery) => void;

export class LiveBus {
  private readonly listeners = new Set<LiveListener>();

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  publish(message: HubLiveMessage, to: LiveAudience): void {
    for (const listener of this.listeners) listener({ message, to });
  }
}

/** Whether a device (by id and role) is in an audience. */
export const isInAudience = (to: LiveAudience, deviceId: string, role: Role): boolean =>
  (to.deviceIds?.includes(deviceId) ?? false) || (to.roles?.includes(role) ?? false);
