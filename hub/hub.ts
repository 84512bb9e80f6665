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
import { AppointmentStore } from './features/appointments/appointment-store';
import { BranchCodes } from './features/codes/branch-codes';
import { readCodeSecret } from './features/codes/code-secret';
import { LiveBus } from './features/live/live-bus';
import { PrinterSettingsStore } from './features/printing/printer-settings-store';
import { TicketPrinting } from './features/printing/ticket-printing';
import { HubScanner } from './features/scanning/hub-scanner';
import { SyncStatusBoard } from './sync/sync-status';
import { NumberBlockStore } from './features/number-blocks/number-block-store';
import { AgentPushStore } from './features/agent-sync/agent-push-store';
import { merged } from '../core/records';

export interface Hub {
  ctx: HubContext;
  branch: BranchStore;
  services: ServiceStore;
  counters: CounterStore;
  tickets: TicketStore;
  devices: DeviceStore;
  stats: StatsStore;
  idempotency: IdempotencyStore;
  /** Live messages for some screens (printer status, print jobs, scans): nothing stored. */
  live: LiveBus;
  printerSettings: PrinterSettingsStore;
  /** Kiosk printers; starts no printer until one is used. Closed by the running hub's stop. */
  printing: TicketPrinting;
  /** Signed codes of this branch (the secret stays inside). */
  codes: BranchCodes;
  appointments: AppointmentStore;
  /** The serial scanner on the hub machine, if one is configured; started by startHub. */
  scanner: HubScanner;
  /** The central link's status (GET /api/v1/sync/status, `sync.status` live messages). */
  sync: SyncStatusBoard;
  /** Number blocks granted to kiosk agents for offline issuing. */
  numberBlocks: NumberBlockStore;
  /** What kiosk agents pushed of their logs. */
  agentPushes: AgentPushStore;
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
  const tickets = new TicketStore(ctx, branch, services, counters);
  const devices = new DeviceStore(ctx);
  const live = new LiveBus();
  const printerSettings = new PrinterSettingsStore(ctx, devices);
  const secret = readCodeSecret(db);
  const numberBlocks = new NumberBlockStore(ctx, branch, services);
  const base: Omit<Hub, 'scanner'> = {
    ctx,
    branch,
    services,
    counters,
    tickets,
    devices,
    stats: new StatsStore(ctx, branch),
    idempotency: new IdempotencyStore(ctx),
    live,
    printerSettings,
    printing: new TicketPrinting({
      ctx,
      branch,
      services,
      tickets,
      devices,
      settings: printerSettings,
      live,
    }),
    codes: new BranchCodes(db, secret),
    appointments: new AppointmentStore(ctx, branch, services, tickets, secret),
    sync: new SyncStatusBoard(ctx, live),
    numberBlocks,
    agentPushes: new AgentPushStore(ctx, services, tickets, numberBlocks),
    system: systemActor(ctx.outbox.deviceId),
    close: () => db.close(),
  };
  // The scanner routes what it reads through the hub's own stores, so it is made last.
  return merged(base, { scanner: new HubScanner(base) });
}
