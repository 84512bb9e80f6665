// Every HTTP route the kiosk screen uses (renderer/api/client.ts: pair, unpair, me, branch,
// services, counters, queue, me/printer, tickets, tickets/:id, tickets/by-code, check-in), served
// by the agent with the hub's shapes. While the hub answers, each is forwarded (Idempotency-Key
// kept) and its answer checked with zod and relayed, status and body; the reads the kiosk needs to
// keep showing are remembered (agent-meta.ts) and answered from there while the hub is unreachable,
// with `x-guichet-offline: true`. What only the hub can do (check-in, signed ticket codes) answers
// 503 `hub_unreachable` (the kiosk words that code itself, in the visitor's language; the sentence
// is for logs and API users); a walk-in ticket still works offline.
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import {
  AlreadyCheckedInBody,
  BranchDto,
  CounterDto,
  ErrorBody,
  IssuedTicketDto,
  IssueTicketBody,
  MeDto,
  PrinterStatusDto,
  QueueDto,
  ServiceDto,
  TicketWithPositionDto,
} from '../../core/api/schemas';
import { errorBody } from '../../http/api-error';
import type { ZodApp } from '../../http/zod-app';
import { setTokenCookie, TOKEN_COOKIE } from '../api/auth';
import { IdParams } from '../api/params';
import { PresentedCode } from '../features/appointments/appointment-routes';
import { CodeParams } from '../features/codes/code-routes';
import { followUpUrl } from '../features/printing/printable-ticket';
import { NoOfflineNumbers, type AgentIssuer } from './agent-issuer';
import type { AgentMeta } from './agent-meta';
import type { AgentPrinting } from './agent-printing';
import {
  checkAnswer,
  forwardToHub,
  HubAnswerInvalid,
  HubUnreachable,
  type ForwardOptions,
} from './hub-forward';
import { agentTokenMatcher } from './agent-token';

export interface AgentKioskDeps {
  issuer: AgentIssuer;
  meta: AgentMeta;
  forward: ForwardOptions;
  /** The agent's own printer, when it has one (`--printer`): it prints every ticket. */
  printing: AgentPrinting | null;
  /** Called after a ticket was issued offline: push it as soon as the hub answers. */
  onOfflineIssue(): void;
  /** Base of the follow-up URLs of tickets issued here: the hub's as last seen, else --hub. */
  followUpBase(): string;
}

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * Reads what the agent needs without its kiosk asking (the branch's name for printed tickets, the
 * kiosk device for pairing offline): called whenever the hub's stream greets the agent.
 */
export async function refreshKioskMeta(forward: ForwardOptions, meta: AgentMeta): Promise<void> {
  const branch = checkAnswer(await forwardToHub(forward, 'GET', '/api/v1/branch'), BranchDto);
  if (branch.ok) meta.setBranch(branch.body);
  const me = checkAnswer(await forwardToHub(forward, 'GET', '/api/v1/me'), MeDto);
  if (me.ok) meta.setMe(me.body);
}

const PairBody = z.union([
  z.object({ token: z.string().min(1).max(512) }).strict(),
  z.object({ code: z.string().min(4).max(32) }).strict(),
]);
const CheckInBody = z.object({ code: PresentedCode }).strict();
const NoQuery = z.object({}).strict();
const CheckInFailure = z.union([AlreadyCheckedInBody, ErrorBody]);

const NEVER_REACHED = 'The hub is unreachable and this kiosk has not reached it yet.';
const CHECK_IN_OFFLINE =
  'Appointments cannot be checked in while the kiosk cannot reach the branch server. ' +
  'Please take a ticket for your service instead.';
const CODE_OFFLINE =
  'Ticket codes cannot be checked while the kiosk cannot reach the branch server. Please ask a member of staff.';

const unreachable = (reply: FastifyReply, message: string) =>
  reply.code(503).header('retry-after', '1').send(errorBody('hub_unreachable', message));
const badHubAnswer = (reply: FastifyReply, error: HubAnswerInvalid) =>
  reply
    .code(502)
    .send(errorBody('bad_hub_answer', `The hub answered something unexpected (${error.message}).`));

/** The Idempotency-Key as the hub checks it; null when absent, an error answer when invalid. */
function idempotencyKey(headers: Record<string, unknown>): string | null | Error {
  const key = headers['idempotency-key'];
  if (key === undefined) return null;
  if (typeof key !== 'string' || !KEY_PATTERN.test(key))
    return new Error('Idempotency-Key must be 1 to 128 printable ASCII characters.');
  return key;
}

export function registerAgentKioskRoutes(app: ZodApp, deps: AgentKioskDeps): void {
  const { meta, issuer } = deps;
  const isAgentToken = agentTokenMatcher(deps.forward.token);
  const get = (route: string) => forwardToHub(deps.forward, 'GET', route);

  /**
   * A read the kiosk needs offline too: the hub's answer (checked, remembered), or the last one
   * remembered while the hub is unreachable.
   */
  const readThrough = async <S extends z.ZodType>(
    reply: FastifyReply,
    route: string,
    schema: S,
    cache: { get(): z.infer<S> | null; set(value: z.infer<S>): void },
  ) => {
    try {
      const answer = checkAnswer(await get(route), schema);
      if (answer.ok) cache.set(answer.body);
      return reply.code(answer.status).send(answer.body);
    } catch (error) {
      if (error instanceof HubAnswerInvalid) return badHubAnswer(reply, error);
      if (!(error instanceof HubUnreachable)) throw error;
      const cached = cache.get();
      if (cached === null) return unreachable(reply, NEVER_REACHED);
      return reply.header('x-guichet-offline', 'true').send(cached);
    }
  };

  /**
   * A ticket the kiosk is given (hub-issued or issued here): with its follow-up URL, and, when the
   * agent prints, its `print` replaced by the agent's job — started now for a new ticket, its
   * state now for a replay (which prints nothing more).
   */
  const handOut = (ticket: IssuedTicketDto, fresh: boolean): IssuedTicketDto => {
    const withUrl: IssuedTicketDto = ticket.followUpUrl
      ? ticket
      : { ...ticket, followUpUrl: followUpUrl(deps.followUpBase(), ticket.id) };
    if (!deps.printing) return { print: null, ...withUrl };
    const print = fresh
      ? deps.printing.printAfterAnswer(withUrl)
      : deps.printing.current(ticket.id);
    return { ...withUrl, print };
  };

  /** Learns the hub's follow-up base (its --public-url) from a ticket it issued. */
  const learnFollowUpBase = (ticket: IssuedTicketDto): void => {
    const tail = `/t/${encodeURIComponent(ticket.id)}`;
    if (ticket.followUpUrl?.endsWith(tail))
      meta.setFollowUpBase(ticket.followUpUrl.slice(0, -tail.length));
  };

  // ---- pairing: the kiosk screen pairs with the agent, using the agent's own kiosk token ----

  app.post(
    '/api/v1/pair',
    { schema: { tags: ['devices'], body: PairBody } },
    async (request, reply) => {
      const body = request.body;
      if (!('token' in body))
        return reply
          .code(422)
          .send(
            errorBody(
              'pairing_code_not_supported',
              'This kiosk is served by a kiosk agent: pair it with the kiosk token the agent was started with (open /kiosk?token=… once).',
            ),
          );
      if (!isAgentToken(body.token))
        return reply
          .code(401)
          .send(errorBody('pairing_failed', 'This token is not the one this kiosk agent holds.'));
      let me: z.infer<typeof MeDto> | null;
      try {
        const answer = checkAnswer(await get('/api/v1/me'), MeDto);
        if (!answer.ok) return reply.code(answer.status).send(answer.body);
        meta.setMe(answer.body);
        me = answer.body;
      } catch (error) {
        if (error instanceof HubAnswerInvalid) return badHubAnswer(reply, error);
        if (!(error instanceof HubUnreachable)) throw error;
        me = meta.me();
      }
      if (!me) return unreachable(reply, NEVER_REACHED);
      setTokenCookie(request, reply, body.token);
      return reply.send(me);
    },
  );

  app.post('/api/v1/unpair', { schema: { tags: ['devices'] } }, (_request, reply) => {
    reply.clearCookie(TOKEN_COOKIE, { path: '/' });
    return reply.code(204).send();
  });

  // ---- reads ----

  app.get('/api/v1/me', { schema: { tags: ['devices'] } }, (_request, reply) =>
    readThrough(reply, '/api/v1/me', MeDto, {
      get: () => meta.me(),
      set: (me) => meta.setMe(me),
    }),
  );

  app.get('/api/v1/branch', { schema: { tags: ['branch'] } }, (_request, reply) =>
    readThrough(reply, '/api/v1/branch', BranchDto, {
      get: () => meta.branch(),
      set: (branch) => meta.setBranch(branch),
    }),
  );

  app.get('/api/v1/services', { schema: { tags: ['services'] } }, (_request, reply) =>
    readThrough(reply, '/api/v1/services', z.array(ServiceDto), {
      get: () => meta.services(),
      set: (services) => meta.setServices(services),
    }),
  );

  app.get('/api/v1/counters', { schema: { tags: ['counters'] } }, (_request, reply) =>
    readThrough(reply, '/api/v1/counters', z.array(CounterDto), {
      get: () => meta.counters(),
      set: (counters) => meta.setCounters(counters),
    }),
  );

  app.get(
    '/api/v1/queue',
    { schema: { tags: ['tickets'], querystring: NoQuery } },
    (_request, reply) =>
      readThrough(reply, '/api/v1/queue', QueueDto, {
        get: () => meta.queue(),
        set: (queue) => meta.setQueue(queue),
      }),
  );

  app.get('/api/v1/me/printer', { schema: { tags: ['printing'] } }, async (_request, reply) => {
    // The agent's printer is this kiosk's printer, online or not.
    if (deps.printing) return reply.send(deps.printing.status());
    try {
      const answer = checkAnswer(await get('/api/v1/me/printer'), PrinterStatusDto.nullable());
      return reply.code(answer.status).send(answer.body);
    } catch (error) {
      if (error instanceof HubAnswerInvalid) return badHubAnswer(reply, error);
      if (!(error instanceof HubUnreachable)) throw error;
      // Offline tickets are not printed by the hub's printer: this kiosk has none now.
      return reply.header('x-guichet-offline', 'true').send(null);
    }
  });

  app.get(
    '/api/v1/tickets/:id',
    { schema: { tags: ['tickets'], params: IdParams, querystring: NoQuery } },
    async (request, reply) => {
      const local = issuer.find(request.params.id);
      try {
        const answer = checkAnswer(
          await get(`/api/v1/tickets/${encodeURIComponent(request.params.id)}`),
          TicketWithPositionDto,
        );
        // Not pushed yet: the hub does not know the ticket, this agent does.
        if (answer.status === 404 && local) return reply.send(local);
        return reply.code(answer.status).send(answer.body);
      } catch (error) {
        if (error instanceof HubAnswerInvalid) return badHubAnswer(reply, error);
        if (!(error instanceof HubUnreachable)) throw error;
        if (local) return reply.header('x-guichet-offline', 'true').send(local);
        return unreachable(reply, 'The hub is unreachable: try again shortly.');
      }
    },
  );

  app.get(
    '/api/v1/tickets/by-code/:code',
    { schema: { tags: ['tickets'], params: CodeParams } },
    async (request, reply) => {
      try {
        const answer = checkAnswer(
          await get(`/api/v1/tickets/by-code/${encodeURIComponent(request.params.code)}`),
          TicketWithPositionDto,
        );
        return reply.code(answer.status).send(answer.body);
      } catch (error) {
        if (error instanceof HubAnswerInvalid) return badHubAnswer(reply, error);
        if (!(error instanceof HubUnreachable)) throw error;
        // Codes are signed with the hub's key, and only the hub knows where a ticket stands.
        return unreachable(reply, CODE_OFFLINE);
      }
    },
  );

  // ---- commands ----

  /**
   * Forwards a command that issues a ticket and relays the hub's answer (checked, with this
   * agent's print in it): true once answered, false when the hub cannot be reached, for the
   * caller's offline path. (Not the reply itself: a FastifyReply is thenable, so an async
   * function returning one resolves when the answer is sent, to undefined.)
   */
  const relayIssued = async (
    reply: FastifyReply,
    route: '/api/v1/tickets' | '/api/v1/appointments/check-in',
    body: unknown,
    key: string | null,
    failure: z.ZodType = ErrorBody,
  ): Promise<boolean> => {
    try {
      const answer = checkAnswer(
        await forwardToHub(deps.forward, 'POST', route, body, key ?? undefined),
        IssuedTicketDto,
        failure,
      );
      if (!answer.ok) {
        void reply.code(answer.status).send(answer.body);
        return true;
      }
      learnFollowUpBase(answer.body);
      const replayed = answer.headers['idempotent-replayed'] === 'true';
      void reply.code(answer.status).headers(answer.headers).send(handOut(answer.body, !replayed));
      return true;
    } catch (error) {
      if (error instanceof HubAnswerInvalid) {
        void badHubAnswer(reply, error);
        return true;
      }
      if (!(error instanceof HubUnreachable)) throw error;
      return false;
    }
  };

  app.post(
    '/api/v1/tickets',
    { schema: { tags: ['tickets'], body: IssueTicketBody } },
    async (request, reply) => {
      const key = idempotencyKey(request.headers);
      if (key instanceof Error)
        return reply.code(400).send(errorBody('invalid_idempotency_key', key.message));
      // A key answered here offline is answered here again: forwarding it would issue twice.
      const earlier = key ? issuer.replay(key) : null;
      if (earlier)
        return reply.code(201).header('idempotent-replayed', 'true').send(handOut(earlier, false));
      // Unreachable: the agent issues the ticket itself, from its blocks.
      if (await relayIssued(reply, '/api/v1/tickets', request.body, key)) return reply;
      try {
        const issued = issuer.issue(request.body, key);
        deps.onOfflineIssue();
        return reply.code(201).header('x-guichet-offline', 'true').send(handOut(issued, true));
      } catch (error) {
        if (error instanceof NoOfflineNumbers) return unreachable(reply, error.message);
        throw error;
      }
    },
  );

  app.post(
    '/api/v1/appointments/check-in',
    { schema: { tags: ['appointments'], body: CheckInBody } },
    async (request, reply) => {
      const key = idempotencyKey(request.headers);
      if (key instanceof Error)
        return reply.code(400).send(errorBody('invalid_idempotency_key', key.message));
      // 409 already_checked_in comes with the first ticket: relayed whole, the kiosk shows it.
      const relayed = await relayIssued(
        reply,
        '/api/v1/appointments/check-in',
        request.body,
        key,
        CheckInFailure,
      );
      // Appointments live on the hub: the agent cannot tell a good code from a used one.
      return relayed ? reply : unreachable(reply, CHECK_IN_OFFLINE);
    },
  );
}
