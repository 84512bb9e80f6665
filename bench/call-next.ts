// "Call next" with a long queue: ≥ 10,000 tickets waiting throughout. Over HTTP against the hub
// process (call-next, then finish, timed separately), then TicketStore.callNext alone in-process
// on the same folder, and TicketStore.issue there too: a ticket's place and the capacity check
// must not cost more with a long queue (migration 007's counts); likewise the four services'
// summaries the kiosks refetch after ticket events (GET /services).
import { nowMs, fmtMs, settle, summarize, timeSequential, type BenchResult } from './stats';
import { request, SERVICES, startBenchHub, withHub } from './fixtures';

export interface CallNextOptions {
  /** Tickets still waiting when the last measured call is made. */
  waiting: number;
  n: number;
  warmup: number;
  /** Untimed seconds of issue + call + finish before the steady series (stats.ts `settle`). */
  settleSeconds: number;
}

export const CALL_NEXT_DEFAULTS: CallNextOptions = {
  waiting: 10_000,
  n: 1000,
  warmup: 100,
  settleSeconds: 20,
};

/** counter-4 serves all four demo services, so every call weighs four queues. */
const COUNTER = 'counter-4';

export async function benchCallNext(
  options: CallNextOptions = CALL_NEXT_DEFAULTS,
): Promise<BenchResult[]> {
  const { waiting, n, warmup, settleSeconds } = options;
  const perPhase = n + warmup;
  // Cold and steady HTTP phases, then the in-process phase, never below `waiting` (the settle
  // issues as many as it calls).
  const seeded = waiting + 3 * perPhase;
  const hub = await startBenchHub('call-next', seeded);
  const token = hub.tokens.counters[COUNTER]!;
  const callSamples: number[] = [];
  const finishSamples: number[] = [];
  let coldCalls: number[] = [];
  let inProcess: number[] = [];
  let issueInProcess: number[] = [];
  let summariesInProcess: number[] = [];
  try {
    let k = 0;
    // One call-next + finish cycle; `into` gets the two latencies when given.
    const cycle = async (into?: { call: number[]; finish: number[] }) => {
      const t0 = nowMs();
      const called = await request<{ ticket: { id: string } }>(
        hub.url,
        'POST',
        `/api/v1/counters/${COUNTER}/call-next`,
        { token, key: `bench-call-${k++}`, expect: 200 },
      );
      const t1 = nowMs();
      await request(hub.url, 'POST', `/api/v1/tickets/${called.body.ticket.id}/finish`, {
        token,
        key: `bench-finish-${k++}`,
        expect: 200,
      });
      into?.call.push(t1 - t0);
      into?.finish.push(nowMs() - t1);
    };
    // A fresh hub's first calls, kept apart: V8 is still compiling the request path.
    const cold = { call: [] as number[], finish: [] as number[] };
    await timeSequential(n, warmup, (i) => cycle(i >= warmup ? cold : undefined));
    coldCalls = cold.call;
    // Then the settle (stats.ts): a kiosk issues one ticket per cycle, so the queue keeps its length.
    await settle(settleSeconds, async (i) => {
      await request(hub.url, 'POST', '/api/v1/tickets', {
        token: hub.tokens.kiosk,
        key: `bench-settle-${i}`,
        body: { serviceId: SERVICES[i % SERVICES.length] },
        expect: 201,
      });
      await cycle();
    });
    const measured = { call: callSamples, finish: finishSamples };
    const cycles = await timeSequential(n, warmup, (i) =>
      cycle(i >= warmup ? measured : undefined),
    );
    await hub.process.stop();

    // In-process: the store's own cost (read four queue heads, decide, write, commit with fsync).
    [inProcess, issueInProcess, summariesInProcess] = withHub(hub.dir, (h) => {
      const samples: number[] = [];
      const issueSamples: number[] = [];
      const summarySamples: number[] = [];
      for (let i = 0; i < perPhase; i++) {
        const t0 = nowMs();
        const ticket = h.tickets.callNext(COUNTER, h.system);
        const dt = nowMs() - t0;
        if (!ticket) throw new Error('queue ran dry');
        h.tickets.step(ticket.id, 'finish', h.system);
        if (i >= warmup) samples.push(dt);
      }
      for (let i = 0; i < perPhase; i++) {
        const t0 = nowMs();
        h.tickets.issue({ serviceId: SERVICES[i % SERVICES.length]! }, h.system);
        if (i >= warmup) issueSamples.push(nowMs() - t0);
      }
      for (let i = 0; i < perPhase; i++) {
        const t0 = nowMs();
        for (const serviceId of SERVICES) h.tickets.serviceSummary(serviceId);
        if (i >= warmup) summarySamples.push(nowMs() - t0);
      }
      const left = h.ctx.db
        .prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM tickets WHERE status = 'waiting'")
        .get()!.n;
      if (left < waiting) throw new Error(`only ${left} tickets left waiting`);
      return [samples, issueSamples, summarySamples];
    });

    const call = summarize(callSamples);
    const issue = summarize(issueInProcess);
    const local = summarize(inProcess);
    return [
      {
        id: 'call-next-http-cold',
        title: `POST call-next, ≥${waiting} waiting, fresh hub (start-up)`,
        latency: summarize(coldCalls),
        method: `the same cycles as below, the first ${warmup} + ${n} after the hub started (timed: the last ${n}), while V8 still compiles the request path`,
      },
      {
        id: 'call-next-http',
        title: `POST call-next, ≥${waiting} waiting`,
        latency: call,
        throughputPerSec: 1000 / summarize(cycles).mean,
        method: `client-side request → 200 body, ${COUNTER} (4 services); ops/s = full call-next + finish cycles per second; after the start-up series and ${settleSeconds} s of issue + call-next + finish; ${warmup} warm-up + ${n}`,
        target: { rule: 'p99 ≤ 2 ms', actual: `p99 ${fmtMs(call.p99)}`, met: call.p99 <= 2 },
        extra: { seededTickets: seeded },
      },
      {
        id: 'finish-http',
        title: `POST finish, ≥${waiting} waiting`,
        latency: summarize(finishSamples),
        method: 'client-side, the second half of each cycle above',
      },
      {
        id: 'call-next-in-process',
        title: `hub.tickets.callNext in-process, ≥${waiting} waiting`,
        latency: local,
        throughputPerSec: 1000 / local.mean,
        method: `TicketStore.callNext alone (own BEGIN IMMEDIATE + commit), finish untimed; ${warmup} warm-up + ${n}`,
        target: { rule: 'p99 ≤ 2 ms', actual: `p99 ${fmtMs(local.p99)}`, met: local.p99 <= 2 },
      },
      {
        id: 'issue-in-process-long-queue',
        title: `hub.tickets.issue in-process, ≥${waiting} waiting`,
        latency: issue,
        throughputPerSec: 1000 / issue.mean,
        method: `TicketStore.issue alone (capacity check, place and wait estimate, own commit), after the calls above; compare with the issuance benchmark's short queue; ${warmup} warm-up + ${n}`,
      },
      {
        id: 'service-summaries-long-queue',
        title: `4 service summaries in-process, ≥${waiting} waiting`,
        latency: summarize(summariesInProcess),
        method: `TicketStore.serviceSummary for the 4 demo services (waiting, longest wait, estimate: what GET /services computes), reads only; ${warmup} warm-up + ${n}`,
      },
    ];
  } finally {
    await hub.dispose();
  }
}
