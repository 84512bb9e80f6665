import { afterEach, describe, expect, it } from 'vitest';
import { nextEvent, waitUntil } from '../testing/helpers.js';
import { PrintQueue, type JobInfo, type PrintQueueOptions } from './queue.js';
import { MockPrinter, MockTransport } from './transports/mock.js';

const fast: PrintQueueOptions = {
  connectTimeoutMs: 100,
  statusTimeoutMs: 100,
  writeTimeoutMs: 200,
  ackTimeoutMs: 200,
  pollIntervalMs: 10,
  backoffInitialMs: 10,
  backoffMaxMs: 40,
  idlePollIntervalMs: 0,
};
const job = (id: string, text = id) => ({
  id,
  data: Buffer.concat([
    Buffer.from([0x1b, 0x40]),
    Buffer.from(`${text}\n`),
    Buffer.from([0x1d, 0x56, 0x00]),
  ]),
});

let queue: PrintQueue | null = null;
afterEach(async () => {
  await queue?.close();
  queue = null;
  MockPrinter.reset();
});

function start(name: string, options: PrintQueueOptions = {}): PrintQueue {
  queue = new PrintQueue(() => new MockTransport(name), { ...fast, ...options });
  return queue;
}

describe('PrintQueue', () => {
  it('prints jobs in order and reports each state', async () => {
    const printer = MockPrinter.create('q1');
    const q = start('q1');
    const states: string[] = [];
    q.on('job', (j) => j.id === 'j1' && states.push(j.state));
    q.enqueue(job('j1'));
    q.enqueue(job('j2'));
    await q.waitFor('j2', 2000);
    expect(states).toEqual(['queued', 'printing', 'printed']);
    expect(printer.device.tickets.map((t) => t.lines[0])).toEqual(['j1', 'j2']);
  });

  it('enqueue returns at once and the same id is one job', async () => {
    const printer = MockPrinter.create('q2', { mode: 'offline' });
    const q = start('q2');
    const first = q.enqueue(job('same'));
    const again = q.enqueue(job('same', 'other bytes'));
    expect(first.state).toBe('queued');
    expect(again.id).toBe('same');
    expect(q.pending()).toHaveLength(1);
    printer.device.setFaults({ mode: 'normal' });
    await q.waitFor('same', 2000);
    q.enqueue(job('same'));
    expect(q.pending()).toHaveLength(0); // a printed id is never printed again
    expect(printer.device.tickets).toHaveLength(1);
  });

  it('fails a job whose bytes cannot be built, and goes on with the next', async () => {
    MockPrinter.create('q3');
    const q = start('q3');
    q.enqueue({ id: 'bad', data: () => Promise.reject(new Error('no font')) });
    q.enqueue(job('good'));
    expect(await q.waitFor('bad', 2000)).toMatchObject({
      state: 'failed',
      reason: 'cannot build ticket: no font',
    });
    expect((await q.waitFor('good', 2000)).state).toBe('printed');
  });

  it('at-most-once mode fails an ambiguous job instead of reprinting it', async () => {
    const printer = MockPrinter.create('q4');
    const q = start('q4', { onUncertain: 'fail' });
    // Cut mid-job: the status request (12 bytes) passes, then 3 bytes of the job.
    printer.device.setFaults({ unplugAfterBytes: 15 });
    q.enqueue(job('once'));
    const info = await q.waitFor('once', 2000);
    expect(info).toMatchObject({ state: 'failed', uncertain: true, attempts: 1 });
    expect(info.reason).toMatch(/may not have printed/);
  });

  it('gives up reprinting after maxUncertainAttempts', async () => {
    const printer = MockPrinter.create('q5');
    const q = start('q5', { maxUncertainAttempts: 2 });
    printer.device.setFaults({ mode: 'normal' });
    // Every attempt loses the link mid-job.
    q.on('job', (j: JobInfo) => {
      if (j.state === 'printing') printer.device.setFaults({ unplugAfterBytes: 3 });
    });
    const plugBack = setInterval(() => printer.plug(), 5);
    q.enqueue(job('flaky'));
    const info = await q.waitFor('flaky', 3000);
    clearInterval(plugBack);
    expect(info).toMatchObject({ state: 'failed', attempts: 2, uncertain: true });
  });

  it('cancel removes a queued job; close fails what is left', async () => {
    MockPrinter.create('q6', { mode: 'paper-out' });
    const q = start('q6');
    q.enqueue(job('a'));
    q.enqueue(job('b'));
    await nextEvent(q, 'status', (s: { state: string }) => s.state === 'paper_out');
    expect(q.cancel('a')).toBe(true);
    expect(q.get('a')).toMatchObject({ state: 'failed', reason: 'cancelled' });
    await q.close();
    expect(q.get('b')).toMatchObject({ state: 'failed', reason: 'closed' });
    expect(() => q.enqueue(job('c'))).toThrow(/closed/);
  });

  it('polls status when idle so admin sees changes without jobs', async () => {
    const printer = MockPrinter.create('q7');
    const q = start('q7', { idlePollIntervalMs: 20 });
    await nextEvent(q, 'status', (s: { state: string }) => s.state === 'ready');
    const out = nextEvent(q, 'status', (s: { state: string }) => s.state === 'paper_out');
    printer.device.setFaults({ mode: 'paper-out' });
    await out;
  });

  it('a job enqueued while the loop is busy checking status is not left waiting', async () => {
    // Regression: a wake-up arriving while the loop awaited an idle status check was lost and
    // the job waited for the next idle poll (here a minute).
    const printer = MockPrinter.create('q9', { slowMs: 40 });
    const q = start('q9', { idlePollIntervalMs: 60_000, statusTimeoutMs: 500 });
    await waitUntil(() => printer.device.bytesReceived > 0); // idle status request in flight
    q.enqueue(job('late'));
    expect((await q.waitFor('late', 2000)).state).toBe('printed');
  });

  it('refuses invalid ids', () => {
    MockPrinter.create('q8');
    const q = start('q8');
    expect(() => q.enqueue({ id: 'has space', data: Buffer.alloc(1) })).toThrow();
    expect(() => q.enqueue({ id: '', data: Buffer.alloc(1) })).toThrow();
  });
});
