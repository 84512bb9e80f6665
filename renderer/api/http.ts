// The HTTP half of the hub client: same-origin JSON calls that ride on the pairing cookie,
// validate every answer against the shared zod schemas, and turn the hub's error envelope into
// an ApiError. POSTs carry the caller's Idempotency-Key and retry transient failures with it.
import type { z } from 'zod';
import { ErrorBody } from '../../core/api/schemas';
import { ApiError, CLIENT_ERROR_CODES } from './errors';

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT';

export interface HttpRequest<T> {
  method: Method;
  path: string;
  body?: unknown;
  /** Required on POST: one per user action (see newActionKey). */
  idempotencyKey?: string;
  schema: z.ZodType<T>;
}

export interface HttpOptions {
  /** '' for same-origin, which is what every served screen uses. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** Called on any 401 so the screen can go back to pairing. */
  onUnauthorized?: () => void;
  /** Automatic retries of a transient failure (network, 502–504), same key each time. */
  retries?: number;
  retryDelayMs?: (attempt: number) => number;
  wait?: (ms: number) => Promise<void>;
}

export interface Http {
  /** A call whose success always has a body. */
  send<T>(request: HttpRequest<T>): Promise<T>;
  /** A call that may answer 204 No Content (e.g. call-next when nobody waits): null then. */
  sendMaybe<T>(request: HttpRequest<T>): Promise<T | null>;
}

export function createHttp(options: HttpOptions = {}): Http {
  const {
    baseUrl = '',
    retries = 2,
    retryDelayMs = (attempt) => 250 * 3 ** attempt,
    wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  } = options;
  const doFetch = options.fetch ?? ((input, init) => fetch(input, init));

  async function once<T>(request: HttpRequest<T>): Promise<T | null> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    if (request.idempotencyKey) headers['Idempotency-Key'] = request.idempotencyKey;
    let response: Response;
    try {
      response = await doFetch(baseUrl + request.path, {
        method: request.method,
        headers,
        body: request.body === undefined ? undefined : JSON.stringify(request.body),
        credentials: 'same-origin',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, CLIENT_ERROR_CODES.network, e instanceof Error ? e.message : String(e));
    }
    if (response.status === 401) options.onUnauthorized?.();
    if (!response.ok) throw await toApiError(response);
    if (response.status === 204) return null;
    const json: unknown = await response.json().catch(() => undefined);
    const parsed = request.schema.safeParse(json);
    if (!parsed.success) {
      throw new ApiError(
        response.status,
        CLIENT_ERROR_CODES.badResponse,
        `${request.method} ${request.path}: ${parsed.error.message}`,
      );
    }
    return parsed.data;
  }

  async function sendMaybe<T>(request: HttpRequest<T>): Promise<T | null> {
    if (request.method !== 'GET' && !request.idempotencyKey) {
      // Guard the rule in code, not only in review: a POST without a key could act twice.
      throw new Error(`${request.method} ${request.path} needs an Idempotency-Key`);
    }
    for (let attempt = 0; ; attempt++) {
      try {
        return await once(request);
      } catch (e) {
        const retriable = e instanceof ApiError && e.transient && attempt < retries;
        if (!retriable) throw e;
        await wait(retryDelayMs(attempt));
      }
    }
  }

  async function send<T>(request: HttpRequest<T>): Promise<T> {
    const result = await sendMaybe(request);
    if (result === null) {
      throw new ApiError(204, CLIENT_ERROR_CODES.badResponse, `${request.path}: empty answer`);
    }
    return result;
  }

  return { send, sendMaybe };
}

async function toApiError(response: Response): Promise<ApiError> {
  const json: unknown = await response.json().catch(() => undefined);
  const parsed = ErrorBody.safeParse(json);
  if (parsed.success) {
    return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message, json);
  }
  return new ApiError(response.status, `http_${response.status}`, response.statusText || 'error');
}
