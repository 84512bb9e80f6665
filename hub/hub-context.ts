// Everything a command needs: the database, the clock, the outbox and the bus it publishes to.
import { randomUUID } from 'node:crypto';
import { writeTransaction, type Db } from './db/open-database';
import type { Clock } from './clock';
import { EventBus } from './events/event-bus';
import { Outbox } from './events/outbox';

export interface HubContext {
  db: Db;
  clock: Clock;
  outbox: Outbox;
  bus: EventBus;
}

export function createContext(db: Db, clock: Clock): HubContext {
  return { db, clock, outbox: new Outbox(db, hubDeviceId(db)), bus: new EventBus() };
}

/** This hub's device id, made once per database: it names the hub's event log for sync. */
function hubDeviceId(db: Db): string {
  const row = db
    .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'hub_device_id'")
    .get();
  if (row) return row.value;
  const id = `hub-${randomUUID()}`;
  db.prepare("INSERT INTO meta (key, value) VALUES ('hub_device_id', ?)").run(id);
  return id;
}

/**
 * Runs a state change in one BEGIN IMMEDIATE transaction, then publishes its events. Nested calls
 * (an idempotent request wrapping a command) join the outer transaction, and events go out only
 * when the outermost one has committed: no screen ever sees a change that was rolled back.
 */
export function runCommand<T>(ctx: HubContext, fn: () => T): T {
  if (ctx.db.inTransaction) return fn();
  let result: T;
  try {
    result = writeTransaction(ctx.db, fn);
  } catch (error) {
    ctx.outbox.takePending();
    throw error;
  }
  for (const event of ctx.outbox.takePending()) ctx.bus.publish(event);
  return result;
}
