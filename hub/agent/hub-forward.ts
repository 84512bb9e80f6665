// Forwarding a kiosk's request to the hub as is (status and body relayed, Idempotency-Key kept),
// telling "the hub answered" apart from "the hub cannot be reached", which sends the agent to its
// offline path. Every answer is checked with zod before the kiosk sees it (checkAnswer).
import type { z } from 'zod';
import { ErrorBody } from '../../core/api/schemas';
import { AGENT_PRINTS_HEADER } from '../features/printing/print-after-commit';

/** fetch without kept-alive sockets (see forwardToHub): for every request to the hub. */
export const fetchWithoutKeepAlive: typeof fetch = (input, init) =>
  fetch(input, {
    ...init,
    headers: { ...(init?.headers as Record<string, string>), connection: 'close' },
  });

export class HubUnreachable extends Error {
  override name = 'HubUnreachable';
}

export interface ForwardedAnswer {
  status: number;
  body: unknown;
  /** The hub's headers a kiosk reads (idempotent-replayed), relayed as they came. */
  headers: Record<string, string>;
}

const RELAYED_HEADERS = ['idempotent-replayed'] as const;

export interface ForwardOptions {
  hubUrl: string;
  token: string;
  /** A kiosk visitor is waiting: give up on a silent hub quickly. */
  timeoutMs: number;
  /** This agent prints its kiosk's tickets (`--printer`): the hub is told not to print them. */
  printsItself?: boolean;
}

export async function forwardToHub(
  options: ForwardOptions,
  method: 'GET' | 'POST',
  route: string,
  body?: unknown,
  idempotencyKey?: string,
): Promise<ForwardedAnswer> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${options.token}`,
    accept: 'application/json',
    // No pooled socket: after a hub restart a kept-alive one is dead, and the kiosk's ticket
    // would take the offline path although the hub is up. One connect per request on a LAN.
    connection: 'close',
  };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
  if (options.printsItself) headers[AGENT_PRINTS_HEADER] = 'true';
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${options.hubUrl}${route}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    text = await response.text();
  } catch (error) {
    throw new HubUnreachable(error instanceof Error ? error.message : String(error));
  }
  // 503: the hub is closing or starting; 502/504: a proxy in between without a hub behind it.
  if (response.status === 502 || response.status === 503 || response.status === 504)
    throw new HubUnreachable(`${route}: HTTP ${response.status}`);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new HubUnreachable(`${route}: HTTP ${response.status}, not JSON`);
  }
  const relayed: Record<string, string> = {};
  for (const name of RELAYED_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) relayed[name] = value;
  }
  return { status: response.status, body: json, headers: relayed };
}

/** The hub answered something that is not the API's shape (a version mismatch): a 502 upstream. */
export class HubAnswerInvalid extends Error {
  override name = 'HubAnswerInvalid';
}

/**
 * The hub's answer checked: a 2xx against `success`, anything else against `failure` (the error
 * envelope unless the route documents more, e.g. 409 with the first check-in's ticket). Throws
 * HubAnswerInvalid when it is neither.
 */
export function checkAnswer<S extends z.ZodType, F extends z.ZodType = typeof ErrorBody>(
  answer: ForwardedAnswer,
  success: S,
  failure?: F,
):
  | { ok: true; status: number; body: z.infer<S>; headers: Record<string, string> }
  | {
      ok: false;
      status: number;
      body: z.infer<F>;
      headers: Record<string, string>;
    } {
  const ok = answer.status >= 200 && answer.status < 300;
  if (ok) {
    const parsed = success.safeParse(answer.body);
    if (!parsed.success)
      throw new HubAnswerInvalid(`HTTP ${answer.status}: ${parsed.error.issues.length} issue(s)`);
    return { ok, status: answer.status, body: parsed.data, headers: answer.headers };
  }
  const parsed = (failure ?? ErrorBody).safeParse(answer.body);
  if (!parsed.success) throw new HubAnswerInvalid(`HTTP ${answer.status}: not an error body`);
  return { ok, status: answer.status, body: parsed.data as z.infer<F>, headers: answer.headers };
}
