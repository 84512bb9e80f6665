// Errors a hub or server reports to its client on purpose: the error handler turns each into its
// HTTP status and `{"error":{"code","message"}}`. Anything else that escapes is a fault (a 5xx).
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export class ApiError extends Error {
  constructor(
    readonly status: ApiErrorStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const errorBody = (code: string, message: string) => ({ error: { code, message } });
