// Printing a ticket an idempotent POST issued, once its transaction has committed. idempotent()
// sends the answer only after the commit (with or without an Idempotency-Key), so the answer's
// send is where printing starts: never inside the transaction, never for a command that failed,
// and never twice for a replayed request (a replay reports the first print's current state).
import type { FastifyRequest } from 'fastify';
import type { IssuedTicketDto } from '../../../core/api/schemas';
import type { Ticket } from '../../../core/model';
import { actorOf } from '../../api/auth';
import type { idempotent } from '../../api/idempotent';
import type { Hub } from '../../hub';
import type { TicketPosition } from '../tickets/ticket-store';
import { withPosition } from '../tickets/ticket-rows';
import { followUpUrl, publicBaseOf } from './printable-ticket';
import { merged } from '../../../core/records';

type AnswerSink = Parameters<typeof idempotent>[2];
type Issued = Ticket & TicketPosition;

export interface PrintAfterIssue {
  /** Give this to idempotent() instead of the reply. */
  sink: AnswerSink;
  /** Called by the command with the ticket it issued (inside the transaction: only noted). */
  issued(ticket: Issued): void;
  /**
   * The 201 body: the ticket where it stands, with what the answer carries whether fresh or
   * replayed (the planned print, the code and the follow-up page).
   */
  answer(ticket: Issued): IssuedTicketDto;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * An answer sink for idempotent() that lets `finish` complete the answer as it is sent, i.e.
 * after the commit; `replayed` says whether idempotent() is replaying a stored answer.
 */
export function afterCommitSink(
  reply: AnswerSink,
  finish: (body: unknown, replayed: boolean) => unknown,
): AnswerSink {
  let replayed = false;
  return {
    code: (statusCode) => reply.code(statusCode),
    header: (name, value) => {
      if (name === 'idempotent-replayed') replayed = true;
      return reply.header(name, value);
    },
    send: (body?: unknown) =>
      body === undefined ? reply.send() : reply.send(finish(body, replayed)),
  };
}

/**
 * Runs `start` once the answer is on its way: queueing a print may render the ticket at once,
 * and rendering (fonts, raster text) is CPU work the visitor's answer must not wait behind.
 */
export function afterAnswer(start: () => void, onError: (error: unknown) => void): void {
  setImmediate(() => {
    try {
      start();
    } catch (error) {
      onError(error);
    }
  });
}

/** A stored answer's `print` with its job's current state (a replay must not print again). */
export function refreshedPrint(hub: Hub, body: Record<string, unknown>): Record<string, unknown> {
  const planned = body.print;
  if (!isRecord(planned)) return body;
  const now = hub.printing.jobState(String(planned.jobId), String(planned.printerId));
  return now ? merged(body, { print: now }) : body;
}

/**
 * Sent by a kiosk agent that has its own printer (`guichet agent --printer`) on the requests it
 * forwards: it prints the ticket itself, so the hub must not print it too on the printer it
 * would otherwise use for that kiosk (its own setting or the hub's `--printer` default).
 */
export const AGENT_PRINTS_HEADER = 'guichet-agent-prints';

const agentPrints = (request: FastifyRequest): boolean =>
  actorOf(request).role === 'kiosk' && request.headers[AGENT_PRINTS_HEADER] === 'true';

export function printAfterIssue(
  hub: Hub,
  request: FastifyRequest,
  reply: AnswerSink,
): PrintAfterIssue {
  const actor = actorOf(request);
  const printHere = !agentPrints(request);
  let ticket: Issued | null = null;
  const finish = (body: unknown, replayed: boolean): unknown => {
    if (!isRecord(body) || !isRecord(body.print)) return body;
    try {
      if (!replayed && ticket) {
        // The answer says "queued" (true as it leaves); job events on the stream tell the rest.
        const issued = ticket;
        const base = hub.printing.baseUrl(publicBaseOf(request));
        const jobId = String(body.print.jobId);
        afterAnswer(
          () => hub.printing.printIssued(issued, issued, actor, base, jobId),
          (error) => request.log.warn({ err: error }, 'printing after issue failed'),
        );
        return body;
      }
      return refreshedPrint(hub, body);
    } catch (error) {
      // The ticket is committed: whatever printing did, the visitor gets the answer.
      request.log.warn({ err: error }, 'printing after issue failed');
      return body;
    }
  };
  return {
    sink: afterCommitSink(reply, finish),
    issued: (issued) => {
      ticket = issued;
    },
    answer: (issued) =>
      merged(withPosition(issued), {
        print: printHere ? hub.printing.plan(issued.id, actor) : null,
        code: hub.codes.ticketCode(issued),
        followUpUrl: followUpUrl(hub.printing.baseUrl(publicBaseOf(request)), issued.id),
      }),
  };
}
