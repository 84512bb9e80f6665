// Errors a command reports to its caller on purpose. The API turns each into its HTTP status and
// `{"error":{"code","message"}}`; anything else that escapes is a bug and becomes a logged 500.
import { ApiError, type ApiErrorStatus } from '../http/api-error';

export type HubErrorStatus = ApiErrorStatus;

export class HubError extends ApiError {
  override name = 'HubError';
}

export const notFound = (what: string, id: string): HubError =>
  new HubError(404, `${what}_not_found`, `No ${what.replace(/_/g, ' ')} with id "${id}".`);
