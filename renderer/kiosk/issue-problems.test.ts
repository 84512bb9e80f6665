import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors';
import { ticket } from '../api/test-fixtures';
import {
  alreadyCheckedInTicket,
  checkInProblem,
  isBranchFull,
  problemFromError,
} from './issue-problems';

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
