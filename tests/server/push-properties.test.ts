// Property: whatever batches arrive (any slice of a log, in any order, repeated, from several
// devices and epochs), each store holds exactly a gapless prefix 1..ack of every device log, and
// re-pushing any batch changes nothing. Against SQLite and PostgreSQL.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SyncEvent } from '../../core/sync/protocol';
import { checkEvent } from '../../server/sync/event-check';
import { createBranch } from '../../server/branches/create-branch';
import { DeviceLog } from '../../server/testing/fixtures';
import { STORE_KINDS, openTestStore, type TestStore } from '../../server/testing/test-stores';

const LOG_LENGTH = 12;

describe.each(STORE_KINDS)('push properties on %s', (kind) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await openTestStore(kind);
  });
  afterAll(async () => testStore?.dispose());

  it('keeps a gapless prefix per (device, epoch) and ignores repeats', async () => {
    const push = fc.record({
      log: fc.nat(2),
      from: fc.nat(LOG_LENGTH - 1),
      size: fc.integer({ min: 1, max: 6 }),
      shuffle: fc.boolean(),
      repeat: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(push, { minLength: 1, maxLength: 12 }), async (pushes) => {
        const store = testStore.store;
        const { branch } = await createBranch(store, { name: 'prop' });
        // Two devices; the first also has a second epoch (a hub that lost its disk).
        const logs = [
          new DeviceLog('hub-p', 'ep-1'),
          new DeviceLog('hub-p', 'ep-2'),
          new DeviceLog('agent-p'),
        ];
        for (const log of logs) log.filler(LOG_LENGTH);
        const model = logs.map(() => 0);
        for (const p of pushes) {
          const log = logs[p.log] as DeviceLog;
          let batch: SyncEvent[] = log.events.slice(p.from, p.from + p.size);
          if (p.shuffle) batch = [...batch].reverse();
          for (let k = 0; k < p.repeat; k++) {
            const outcome = await store.push({
              branchId: branch.id,
              deviceId: log.deviceId,
              epoch: log.epoch,
              events: batch,
              now: Date.now(),
              check: checkEvent,
            });
            // The model: walk the batch in order from the ack, stop at the first gap.
            let ack = model[p.log] as number;
            for (const seq of batch.map((e) => e.deviceSeq).sort((a, b) => a - b)) {
              if (seq === ack + 1) ack += 1;
              else if (seq > ack + 1) break;
            }
            model[p.log] = ack;
            expect(outcome.ackSeq).toBe(ack);
            if (k > 0) expect(outcome.stored).toBe(0);
          }
        }
        const slice = await store.pull({
          branchId: branch.id,
          afterPos: 0,
          excludeDeviceId: null,
          limit: 500,
        });
        logs.forEach((log, i) => {
          const held = slice.events.filter(
            (e) => e.deviceId === log.deviceId && e.epoch === log.epoch,
          );
          expect(held.map((e) => e.eventId)).toEqual(
            log.events.slice(0, model[i]).map((e) => e.eventId),
          );
        });
        expect(slice.headPos).toBe(model.reduce((a, b) => a + b, 0));
      }),
      { numRuns: kind === 'postgres' ? 25 : 50 },
    );
  });
});

describe.each(STORE_KINDS)('push atomicity on %s', (kind) => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await openTestStore(kind);
  });
  afterAll(async () => testStore?.dispose());

  it('writes nothing of a push that fails half-way', async () => {
    const store = testStore.store;
    const { branch } = await createBranch(store, { name: 'atomic' });
    const log = new DeviceLog('hub-atomic');
    log.filler(5);
    const failing = {
      branchId: branch.id,
      deviceId: log.deviceId,
      epoch: log.epoch,
      events: log.events,
      now: Date.now(),
      // Fails on the fourth event, after three were planned for storage.
      check: (e: SyncEvent) => {
        if (e.deviceSeq === 4) throw new Error('boom');
        return checkEvent(e);
      },
    };
    await expect(store.push(failing)).rejects.toThrow('boom');
    expect(await store.deviceLogs(branch.id)).toEqual([]);
    expect((await store.branch(branch.id))?.eventCount).toBe(0);
    const retried = await store.push({ ...failing, check: checkEvent });
    expect(retried.ackSeq).toBe(5);
  });
});
