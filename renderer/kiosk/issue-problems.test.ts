import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { ticket } from '../api/test-fixtures';
import { FALLBACK_LANG, i18n } from '../i18n';
import {
  alreadyCheckedInTicket,
  checkInProblem,
  isBranchFull,
  problemFromError,
} from './issue-problems';
import { describeProblem } from './ProblemView';

// A kiosk agent's answer to a check-in while its hub is unreachable (agent-kiosk-routes.ts).
const AGENT_OFFLINE = new ApiError(
  503,
  'hub_unreachable',
  'Appointments cannot be checked in while the kiosk cannot reach the branch server. Please take a ticket for your service instead.',
);

afterAll(async () => {
  await i18n.changeLanguage(FALLBACK_LANG);
});

describe('kiosk problems', () => {
  it('recognises a closed service and a full building', () => {
    expect(problemFromError(new ApiError(409, 'service_closed', 'x'))).toEqual({
      kind: 'service_closed',
    });
    expect(problemFromError(new ApiError(409, 'branch_full', 'x'))).toEqual({
      kind: 'branch_full',
    });
    expect(problemFromError(new ApiError(0, 'network', 'x'))).toEqual({ kind: 'network' });
  });

  it('words an agent with no numbers left itself, never with the agent’s English sentence', () => {
    const problem = problemFromError(
      new ApiError(503, 'hub_unreachable', 'The hub is unreachable and no numbers are left.'),
    );
    expect(problem).toEqual({ kind: 'kiosk_offline' });
    const [, message] = describeProblem(problem, 'Passeports', i18n.t);
    expect(message).not.toMatch(/hub is unreachable/i);
    expect(message).toBe(i18n.t('kiosk.kioskOffline'));
  });

  it('tells an unknown appointment code from a hub without check-in', () => {
    expect(checkInProblem(new ApiError(404, 'appointment_not_found', 'x')).kind).toBe(
      'appointment_not_found',
    );
    expect(checkInProblem(new ApiError(404, 'not_found', 'Route not found')).kind).toBe(
      'appointment_unavailable',
    );
  });

  it('maps the hub check-in refusals', () => {
    expect(checkInProblem(new ApiError(422, 'invalid_code', 'x')).kind).toBe(
      'appointment_not_found',
    );
    expect(checkInProblem(new ApiError(409, 'appointment_cancelled', 'x')).kind).toBe(
      'appointment_cancelled',
    );
    expect(checkInProblem(new ApiError(409, 'appointment_not_today', 'x')).kind).toBe(
      'appointment_not_today',
    );
    expect(checkInProblem(new ApiError(409, 'branch_full', 'x')).kind).toBe('branch_full');
  });

  it('says in its own words that a kiosk agent cut off from its hub cannot check in', () => {
    expect(checkInProblem(AGENT_OFFLINE)).toEqual({ kind: 'appointment_offline' });
  });

  it.each(['fr', 'en', 'ar'])(
    'words the offline check-in refusal in the visitor’s language, never the agent’s (%s)',
    async (lang) => {
      await i18n.changeLanguage(lang);
      const [title, message] = describeProblem(checkInProblem(AGENT_OFFLINE), '', i18n.t);
      expect(title).toBe(i18n.t('kiosk.appointmentTitle'));
      expect(message).toBe(i18n.t('kiosk.appointmentOffline'));
      expect(message).not.toContain(AGENT_OFFLINE.message);
      // Resolved to text, not the key i18next returns for a missing one.
      expect(message).not.toMatch(/kiosk\./);
    },
  );

  it('shows the earlier ticket again when the appointment was already checked in', () => {
    const earlier = { ...ticket({ source: 'appointment' }), ahead: 2, estimatedWaitSec: 300 };
    const error = new ApiError(409, 'already_checked_in', 'x', {
      error: { code: 'already_checked_in', message: 'x' },
      ticket: earlier,
    });
    expect(alreadyCheckedInTicket(error)?.number).toBe('A001');
    expect(alreadyCheckedInTicket(new ApiError(409, 'branch_full', 'x'))).toBeNull();
  });

  it('counts the building as full at capacity, never without a limit', () => {
    expect(isBranchFull(10, 10)).toBe(true);
    expect(isBranchFull(10, 9)).toBe(false);
    expect(isBranchFull(null, 1000)).toBe(false);
  });
});
