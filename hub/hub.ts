// A branch hub's stores over one database: what the API, the CLI and the tests drive.
import { openDatabase } from './db/open-database';
import { systemClock, type Clock } from './clock';
import { createContext, type HubContext } from './hub-context';
import { systemActor, type Actor } from './features/actor';
import { BranchStore } from './features/branch/branch-store';
import { CounterStore } from './features/counters/counter-store';
import { DeviceStore } from './features/devices/device-store';
import { IdempotencyStore } from './features/idempotency/idempotency-store';
import { ServiceStore } from './features/services/service-store';
import { StatsStore } from './features/stats/stats-store';
import { TicketStore } from './features/tickets/ticket-store';

export interface Hub {
  ctx: HubContext;
  branch: BranchStore;
  services: ServiceStore;
  counters: CounterStore;
  tickets: TicketStore;
  devices: DeviceStore;
  stats: StatsStore;
  idempotency: IdempotencyStore;
  /** The hub acting on its own behalf (CLI, seeding). */
  system: Actor;
  close(): void;
}

export function openHub(file: string, clock: Clock = systemClock): Hub {
  const db = openDatabase(file);
  const ctx = createContext(db, clock);
  const branch = new BranchStore(ctx);
  const services = new ServiceStore(ctx);
  const counters = new CounterStore(ctx);
  return {
    ctx,
    branch,
    services,
    counters,
    tickets: new TicketStore(ctx, branch, services, counters),
    devices: new DeviceStore(ctx),
    stats: new StatsStore(ctx, branch),
    idempotency: new IdempotencyStore(ctx),
    system: systemActor(ctx.outbox.deviceId),
    close: () => db.close(),
  };
}
