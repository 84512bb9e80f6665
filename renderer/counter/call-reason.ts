// "Why this ticket": the call-next rule and its numbers, as a sentence staff can trust.
import type { TicketDto } from '../../core/api/schemas';
import { formatDuration } from '../shared/format';

type T = (key: string, values?: Record<string, unknown>) => string;

export function callReasonText(reason: NonNullable<TicketDto['callReason']>, t: T): string {
  const waited = formatDuration(reason.waitedSec, t);
  switch (reason.rule) {
    case 'aging':
      return t('counter.reason.aging', {
        waited,
        threshold: formatDuration(reason.agingThresholdSec ?? 0, t),
      });
    case 'priority':
      return t('counter.reason.priority', { waited });
    case 'priority_cap':
      return t('counter.reason.priority_cap', {
        waited,
        streak: reason.priorityStreak ?? '?',
        cap: reason.priorityCap ?? '?',
      });
    case 'weighted':
      return t('counter.reason.weighted', {
        waitedSec: Math.round(reason.waitedSec),
        weight: reason.weight ?? 1,
        score: Math.round(reason.score ?? reason.waitedSec * (reason.weight ?? 1)),
      });
    case 'manual':
      return t('counter.reason.manual', { waited });
  }
}
