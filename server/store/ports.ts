// What the server needs from its database, whatever the database is. Two implementations:
// embedded SQLite (one process, the default) and PostgreSQL (several stateless instances).
// Both run the same push decision (core/sync/push-plan) inside one transaction per push.
import type { BranchConfig, BranchConfigInput } from '../../core/sync/config';
import type { PulledEvent, PushResult, SyncEvent } from '../../core/sync/protocol';
import type { EventVerdict } from '../../core/sync/push-plan';
import type { TicketStatus } from '../../core/model';

export type StoreKind = 'sqlite' | 'postgres';

export interface BranchRecord {
  id: string;
  name: string;
  createdAt: number;
  /** 0 while the branch is empty (no hub linked, no admin configuration). */
  configVersion: number;
  /** Events stored for the branch (applied and rejected): also its log position. */
  eventCount: number;
  rejectedCount: number;
  lastPushAt: number | null;
}

/** Where one device log stands on the server. */
export interface DeviceLogRecord {
  deviceId: string;
  epoch: string;
  ackSeq: number;
  lastPushAt: number;
}

export interface PushCommand {
  branchId: string;
  deviceId: string;
  epoch: string;
  events: readonly SyncEvent[];
  now: number;
  /** Whether the server can apply an event (server/sync/event-check). */
  check: (event: SyncEvent) => EventVerdict;
}

export interface PushOutcome {
  ackSeq: number;
  results: PushResult[];
  stored: number;
}

export interface PullRequest {
  branchId: string;
  /** Log position after which to read (0: from the start). */
  afterPos: number;
  /** Leave this device's own events out. */
  excludeDeviceId: string | null;
  limit: number;
}

export interface PullSlice {
  events: PulledEvent[];
  /** The position the next pull continues after. */
  lastPos: number;
  /** The branch's log head when read: lastPos < headPos means more to pull. */
  headPos: number;
  config: BranchConfig | null;
}

/** One ticket as projected from the branch's event history (its latest snapshot by HLC). */
export interface TicketRecord {
  branchId: string;
  ticketId: string;
  number: string;
  serviceId: string;
  issuedServiceId: string;
  status: TicketStatus;
  businessDay: string;
  queuedAt: number;
  calledAt: number | null;
  finishedAt: number | null;
  counterId: string | null;
}

export interface RejectedEventRecord {
  deviceId: string;
  epoch: string;
  deviceSeq: number;
  eventId: string;
  type: string;
  reason: string;
  receivedAt: number;
}

export type ConfigWrite =
  /** A hub's first link: taken only when the branch has no configuration yet. */
  | { mode: 'adopt' }
  /** An admin's edit; with `ifVersion`, refused (409) when someone else changed it meanwhile. */
  | { mode: 'replace'; ifVersion?: number };

export interface ConfigWriteResult {
  config: BranchConfig;
  /** False when nothing was written (branch already configured, or the same content again). */
  changed: boolean;
}

/** "Something changed in this branch": sent to the poke sockets of every server instance. */
export interface Poke {
  branchId: string;
  /** The device whose push caused it (it needs no poke), or null for an admin change. */
  fromDeviceId: string | null;
}

export interface ServerStore {
  readonly kind: StoreKind;

  addAdminToken(tokenHash: string, now: number): Promise<void>;
  isAdminToken(tokenHash: string): Promise<boolean>;

  createBranch(branch: {
    id: string;
    name: string;
    tokenHash: string;
    now: number;
  }): Promise<BranchRecord>;
  listBranches(): Promise<BranchRecord[]>;
  branch(branchId: string): Promise<BranchRecord | null>;
  branchIdForToken(tokenHash: string): Promise<string | null>;
  deviceLogs(branchId: string): Promise<DeviceLogRecord[]>;
  rejectedEvents(branchId: string, limit: number): Promise<RejectedEventRecord[]>;

  config(branchId: string): Promise<BranchConfig | null>;
  /** Throws ServerError 404 for an unknown branch, 409 on a version conflict. */
  writeConfig(
    branchId: string,
    input: BranchConfigInput,
    write: ConfigWrite,
    now: number,
  ): Promise<ConfigWriteResult>;

  /** One transaction; pokes the branch when anything was stored. Throws 404 for an unknown branch. */
  push(command: PushCommand): Promise<PushOutcome>;
  pull(request: PullRequest): Promise<PullSlice>;

  ticketsOfDay(branchId: string, businessDay: string): Promise<TicketRecord[]>;
  ticketsBetween(fromDay: string, toDay: string): Promise<TicketRecord[]>;

  /** Listens to pokes from this and (PostgreSQL) every other instance; returns an unsubscribe. */
  onPoke(listener: (poke: Poke) => void): () => void;
  close(): Promise<void>;
}
