// Errors a command reports to its caller on purpose. The API turns each into its HTTP status and
// `{"error":{"code","message"}}`; anything else that escapes is a bug and becomes a logged 500.
export type HubErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

export class HubError extends Error {
  constructor(
    readonly status: HubErrorStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export const notFound = (what: string, id: string): HubError =>
  new HubError(404, `${what}_not_found`, `No ${what.replace(/_/g, ' ')} with id "${id}".`);
