// Creating a branch in an empty hub database: settings, services, counters and first devices.
import type { Role } from '../core/api/schemas';
import type { Counter, Service } from '../core/model';
import { runCommand } from './hub-context';
import { HubError } from './hub-error';
import type { Hub } from './hub';
import { DEMO_BRANCH, DEMO_COUNTERS, DEMO_SERVICES } from './demo/demo-branch';
import type { BranchSettings } from './features/branch/branch-store';

export interface DemoTokens {
  kiosk: string;
  display: string;
  admin: string;
  counters: Record<string, string>;
}

export interface InitResult {
  tokens: DemoTokens | { admin: string };
  services: Service[];
  counters: Counter[];
}

function assertEmpty(hub: Hub): void {
  if (hub.branch.exists())
    throw new HubError(409, 'already_initialised', 'This data folder already holds a branch.');
}

/** A branch with only an admin device: the IT person configures the rest from the admin screen. */
export function initBranch(hub: Hub, settings: BranchSettings): InitResult {
  return runCommand(hub.ctx, () => {
    assertEmpty(hub);
    hub.branch.create(settings, hub.system);
    const admin = hub.devices.create({ role: 'admin', name: 'Administrator' }, hub.system).token;
    return { tokens: { admin }, services: [], counters: [] };
  });
}

/** The demo branch, with one device of each role and one per counter. */
export function initDemoBranch(hub: Hub): InitResult & { tokens: DemoTokens } {
  return runCommand(hub.ctx, () => {
    assertEmpty(hub);
    hub.branch.create(DEMO_BRANCH, hub.system);
    for (const service of DEMO_SERVICES) hub.services.create(service, hub.system);
    for (const counter of DEMO_COUNTERS) hub.counters.create(counter, hub.system);
    const device = (role: Role, name: string, counterId?: string) =>
      hub.devices.create({ role, name, ...(counterId ? { counterId } : {}) }, hub.system).token;
    const tokens: DemoTokens = {
      kiosk: device('kiosk', 'Demo kiosk'),
      display: device('display', 'Demo display'),
      admin: device('admin', 'Demo admin'),
      counters: Object.fromEntries(
        DEMO_COUNTERS.map((c) => [
          c.id ?? c.name,
          device('counter', `Demo counter ${c.name}`, c.id),
        ]),
      ),
    };
    return { tokens, services: hub.services.list(), counters: hub.counters.list() };
  });
}

/** New tokens for the demo devices (the old ones stop working): `npm start` prints fresh ones. */
export function rotateDemoTokens(hub: Hub): DemoTokens {
  const active = hub.devices
    .list()
    .filter((d) => d.revokedAt === null && d.name.startsWith('Demo '));
  const byName = (name: string) => {
    const device = active.find((d) => d.name === name);
    if (!device)
      throw new HubError(
        409,
        'not_a_demo',
        `This data folder has no "${name}" device: it is not a demo branch.`,
      );
    return hub.devices.rotateToken(device.id);
  };
  return {
    kiosk: byName('Demo kiosk'),
    display: byName('Demo display'),
    admin: byName('Demo admin'),
    counters: Object.fromEntries(
      active
        .filter((d) => d.role === 'counter' && d.counterId !== null)
        // Listed in counter order, as the IT person reads them off the console.
        .sort((a, b) => String(a.counterId).localeCompare(String(b.counterId)))
        .map((d) => [d.counterId as string, hub.devices.rotateToken(d.id)]),
    ),
  };
}
