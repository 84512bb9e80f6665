// Branch load against the hub, recorded: kiosks issue tickets (each with an Idempotency-Key, and
// an unanswered issue is retried with the SAME key until it gets an answer, so "the kiosk saw a
// 201" is exact), counters call-next and finish. Bounded by a count of issues. While the hub is
// down (killed by the scenario) requests fail and are retried after a short pause: that pause is
// load pacing, not a wait for a condition. The kiosk may talk to a kiosk agent instead of the hub
// (`kioskUrl`), whose "hub unreachable, no numbers left" 503 it retries like a network error.
import { call } from '../support/test-hub';

export const SERVICES = ['etat-civil', 'passeports', 'titres-sejour', 'visas'] as const;

export interface IssuedRecord {
  key: string;
  id: string;
  number: string;
  serviceId: string;
}

export interface CallRecord {
  ticketId: string;
  counterId: string;
}

export interface LoadHistory {
  issued: IssuedRecord[];
  calls: CallRecord[];
  finishes: number;
  /** Requests that failed on the network (the hub was down): retried. */
  networkErrors: number;
  /** Kiosk answers in `kioskRetryStatuses` (retried with the same key). */
  retriedAnswers: number;
  /** Answers no fault explains (a 4xx/5xx from a live hub): each is a finding. */
  problems: string[];
}

export interface LoadOptions {
  hubUrl: () => string;
  /** Where the kiosk issues (a kiosk agent); the hub by default. Counters always use the hub. */
  kioskUrl?: () => string;
  /** Statuses the kiosk retries with the same key after a pause, as a visitor tries again. */
  kioskRetryStatuses?: readonly number[];
  /** A counter's longest pause after each call (service time), ms; none by default. */
  counterPauseMs?: number;
  kioskToken: string;
  counterTokens: Record<string, string>;
  issues: number;
  random: () => number;
  seed: number;
}

/** A history with nothing in it yet (the load fills it; a scripted test fills its own). */
export function emptyHistory(): LoadHistory {
  return { issued: [], calls: [], finishes: 0, networkErrors: 0, retriedAnswers: 0, problems: [] };
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** A kiosk gives up on one visitor after this long without an answer (a finding, then). */
const ISSUE_GIVE_UP_MS = 60_000;

export async function runLoad(options: LoadOptions): Promise<LoadHistory> {
  const history = emptyHistory();
  let issuing = true;

  const kioskUrl = options.kioskUrl ?? options.hubUrl;
  const retried = new Set(options.kioskRetryStatuses ?? []);
  const kiosk = async () => {
    for (let n = 0; n < options.issues; n++) {
      const serviceId = SERVICES[Math.floor(options.random() * SERVICES.length)]!;
      const key = `faults-s${options.seed}-k-${n}`;
      const giveUpAt = Date.now() + ISSUE_GIVE_UP_MS;
      for (;;) {
        if (Date.now() > giveUpAt) {
          history.problems.push(`issue ${key}: no answer in ${ISSUE_GIVE_UP_MS} ms`);
          break;
        }
        try {
          const answer = await call<{ id: string; number: string }>(
            kioskUrl(),
            'POST',
            '/api/v1/tickets',
            {
              token: options.kioskToken,
              body: { serviceId, lang: 'fr' },
              headers: { 'idempotency-key': key },
            },
          );
          if (answer.status === 201) {
            history.issued.push({ key, id: answer.body.id, number: answer.body.number, serviceId });
          } else if (retried.has(answer.status)) {
            history.retriedAnswers += 1;
            await pause(20);
            continue;
          } else
            history.problems.push(`issue ${key} → ${answer.status} ${JSON.stringify(answer.body)}`);
          break;
        } catch {
          history.networkErrors += 1;
          await pause(20);
        }
      }
      await pause(Math.floor(options.random() * 15));
    }
    issuing = false;
  };

  const counter = async (counterId: string, token: string) => {
    let n = 0;
    const key = () => `faults-s${options.seed}-${counterId}-${n++}`;
    const finish = async (ticketId: string) => {
      // Same key on every retry: a finish that committed before a kill is replayed, not redone.
      const finishKey = key();
      for (;;) {
        try {
          const done = await call(options.hubUrl(), 'POST', `/api/v1/tickets/${ticketId}/finish`, {
            token,
            headers: { 'idempotency-key': finishKey },
          });
          if (done.status === 200) history.finishes += 1;
          else
            history.problems.push(
              `finish ${ticketId} → ${done.status} ${JSON.stringify(done.body)}`,
            );
          return;
        } catch {
          history.networkErrors += 1;
          await pause(20);
        }
      }
    };
    while (issuing) {
      try {
        const answer = await call<{ ticket: { id: string } }>(
          options.hubUrl(),
          'POST',
          `/api/v1/counters/${counterId}/call-next`,
          { token, headers: { 'idempotency-key': key() } },
        );
        if (answer.status === 200) {
          history.calls.push({ ticketId: answer.body.ticket.id, counterId });
          if (options.random() < 0.8) await finish(answer.body.ticket.id);
          // Serving takes a while: the queue builds up instead of every ticket being called at once.
          if (options.counterPauseMs)
            await pause(Math.floor(options.random() * options.counterPauseMs));
        } else if (answer.status === 409) {
          // Still holding a ticket (its call's answer was lost in a kill, or we left it called).
          const list = await call<{ id: string; currentTicket: { id: string } | null }[]>(
            options.hubUrl(),
            'GET',
            '/api/v1/counters',
            { token },
          );
          const held = list.body.find((c) => c.id === counterId)?.currentTicket;
          if (held) await finish(held.id);
        } else if (answer.status === 204) {
          await pause(10);
        } else {
          history.problems.push(
            `call-next ${counterId} → ${answer.status} ${JSON.stringify(answer.body)}`,
          );
        }
      } catch {
        history.networkErrors += 1;
        await pause(20);
      }
    }
  };

  await Promise.all([
    kiosk(),
    ...Object.entries(options.counterTokens).map(([id, token]) => counter(id, token)),
  ]);
  return history;
}
