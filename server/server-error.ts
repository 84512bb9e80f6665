// Errors the server reports to a client on purpose; the API turns each into its status and
// `{"error":{"code","message"}}`. Anything else that escapes is a server fault (a logged 5xx).
import { ApiError, type ApiErrorStatus } from '../http/api-error';

export type ServerErrorStatus = ApiErrorStatus;

export class ServerError extends ApiError {
  override name = 'ServerError';
}

export const branchNotFound = (branchId: string): ServerError =>
  new ServerError(404, 'branch_not_found', `No branch with id "${branchId}".`);
