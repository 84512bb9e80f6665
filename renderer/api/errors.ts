// Every failure a screen can meet when talking to the hub, as one typed error so screens branch
// on `code` (the hub's stable error codes) rather than on message text or HTTP plumbing.

/** Codes the client itself produces, next to the hub's own (`service_closed`, `branch_full`…). */
export const CLIENT_ERROR_CODES = {
  /** The hub could not be reached at all (offline, hub down, DNS, CORS…). */
  network: 'network',
  /** The hub answered something that does not match the API contract. */
  badResponse: 'bad_response',
} as const;

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status, or 0 when no answer came back. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole error body, for answers that carry more than the envelope (e.g. a ticket). */
    readonly body?: unknown,
  ) {
    super(message);
  }

  /** Worth trying again with the same Idempotency-Key: the hub may never have seen the request. */
  get transient(): boolean {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

export function isApiError(e: unknown, code?: string): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}
