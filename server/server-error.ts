// Errors the server reports to a client on purpose; the API turns each into its status and
// `{"error":{"code","message"}}`. Anything else that escapes is a server fault (a logged 5xx).
export type ServerErrorStatus = 400 | 401 | 403 | 404 | 409 | 413 | 422;

export class ServerError extends Error {
  constructor(
    readonly status: ServerErrorStatus,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

export const branchNotFound = (branchId: string): ServerError =>
  new ServerError(404, 'branch_not_found', `No branch with id "${branchId}".`);
