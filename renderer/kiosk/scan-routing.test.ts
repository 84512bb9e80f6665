import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ScannerResultEvent } from '../../core/api/schemas';
import { ticket } from '../api/test-fixtures';
import { outcomeOfScannerResult, routeScan, scanErrorProblem, scanProblem } from './scan-routing';

const withPosition = { ...ticket(), ahead: 2, estimatedWaitSec: 300 };
const result = (over: Partial<ScannerResultEvent>): ScannerResultEvent => ({
  type: 'scanner.result',
  at: '2026-11-22T08:00:00.000Z',
  ok: false,
  kind: null,
  message: 'x',
  ...over,
});

describe('scan routing', () => {
  it('sends appointment codes to check-in and ticket codes to the lookup', () => {
    expect(routeScan('GA1-7K3Q9-X4M2B8RT0C')).toEqual({
      kind: 'appointment',
      code: 'GA1-7K3Q9-X4M2B8RT0C',
    });
    // Scanners may send lower case (Caps Lock) and a trailing CR/space.
    expect(routeScan(' ga1-7k3q9-x4m2b8rt0c\r')).toEqual({
      kind: 'appointment',
      code: 'GA1-7K3Q9-X4M2B8RT0C',
    });
    expect(routeScan('GT1-20261122A042-ABCDEFGHJK')).toEqual({
      kind: 'ticket',
      code: 'GT1-20261122A042-ABCDEFGHJK',
    });
  });

  it('reads a follow-up URL as its ticket id', () => {
    expect(routeScan('http://192.168.1.10:4280/t/0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).toEqual({
      kind: 'follow_up',
      ticketId: '0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b',
    });
    expect(routeScan('https://mairie.example/guichet/t/abc_123/?lang=ar')).toEqual({
      kind: 'follow_up',
      ticketId: 'abc_123',
    });
    expect(routeScan('https://example.org/x/abc')).toMatchObject({ kind: 'invalid' });
  });

  it('refuses garbage with a reason, never throws', () => {
    expect(routeScan('')).toEqual({ kind: 'invalid', reason: 'empty' });
    expect(routeScan('   ')).toEqual({ kind: 'invalid', reason: 'empty' });
    expect(routeScan('A'.repeat(300))).toEqual({ kind: 'invalid', reason: 'too_long' });
    expect(routeScan(`GA1-${'A'.repeat(70)}`)).toEqual({ kind: 'invalid', reason: 'too_long' });
    expect(routeScan('GA1-\u0000\u0007')).toEqual({ kind: 'invalid', reason: 'not_printable' });
    expect(routeScan('5901234123457')).toEqual({ kind: 'invalid', reason: 'unknown' });
    expect(routeScan('hello world')).toEqual({ kind: 'invalid', reason: 'unknown' });
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const route = routeScan(s);
        expect(['appointment', 'ticket', 'follow_up', 'invalid']).toContain(route.kind);
      }),
    );
  });

  it('maps hub answers to what the visitor can do', () => {
    expect(scanProblem('bad_signature')).toBe('unreadable');
    expect(scanProblem('incomplete')).toBe('unreadable');
    expect(scanProblem(undefined)).toBe('unreadable');
    expect(scanProblem('appointment_not_today')).toBe('appointment_not_today');
    expect(scanProblem('appointment_not_found')).toBe('not_found');
    expect(scanErrorProblem('ticket', 404, 'ticket_not_found')).toBe('ticket_not_found');
    expect(scanErrorProblem('follow_up', 404, 'not_found')).toBe('ticket_not_found');
    expect(scanErrorProblem('appointment', 404, 'appointment_not_found')).toBe('not_found');
    expect(scanErrorProblem('appointment', 404, 'http_404')).toBe('no_check_in');
    expect(scanErrorProblem('appointment', 422, 'invalid_code')).toBe('unreadable');
    expect(scanErrorProblem('appointment', 409, 'service_closed')).toBe('service_closed');
  });

  it('tells a code a kiosk agent could not check (hub unreachable) from an unreadable one', () => {
    // An appointment: the walk-in way; a ticket (code or follow-up URL): keep it.
    expect(scanErrorProblem('appointment', 503, 'hub_unreachable')).toBe('check_in_offline');
    expect(scanErrorProblem('ticket', 503, 'hub_unreachable')).toBe('lookup_offline');
    expect(scanErrorProblem('follow_up', 503, 'hub_unreachable')).toBe('lookup_offline');
    // Another 503 (a hub restarting, say) is still "try again".
    expect(scanErrorProblem('appointment', 503, 'http_503')).toBe('unreadable');
  });

  it('turns the serial scanner results into the same screens', () => {
    expect(
      outcomeOfScannerResult(
        result({ ok: true, kind: 'appointment', ticket: withPosition, print: null }),
      ),
    ).toEqual({ kind: 'checked_in', ticket: withPosition, print: null });
    expect(
      outcomeOfScannerResult(result({ ok: true, kind: 'ticket', ticket: withPosition })),
    ).toEqual({
      kind: 'ticket_status',
      ticket: withPosition,
    });
    expect(
      outcomeOfScannerResult(
        result({
          ok: false,
          kind: 'appointment',
          reason: 'already_checked_in',
          ticket: withPosition,
        }),
      ),
    ).toEqual({ kind: 'ticket_status', ticket: withPosition });
    expect(outcomeOfScannerResult(result({ reason: 'bad_signature' }))).toEqual({
      kind: 'problem',
      problem: 'unreadable',
    });
    expect(outcomeOfScannerResult(result({ reason: 'appointment_cancelled' }))).toEqual({
      kind: 'problem',
      problem: 'appointment_cancelled',
    });
  });
});
