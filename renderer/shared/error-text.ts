import { isApiError } from '../api';

type T = (key: string, values?: Record<string, unknown>) => string;

/** A failure as one line for staff screens: "hub unreachable" said plainly, else the message. */
export function errorText(e: unknown, t: T): string {
  if (isApiError(e, 'network')) return t('common.networkError');
  return t('common.error', { message: e instanceof Error ? e.message : String(e) });
}
