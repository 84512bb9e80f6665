import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_CODE_LENGTH, signCode, verifyCode } from './signed-code.js';

const SECRET = 'branch-secret-0123456789abcdef';
const idArb = fc.stringMatching(/^[A-Z0-9]{1,20}$/);
const kindArb = fc.constantFrom('appointment' as const, 'ticket' as const);
const CODE_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-';

describe('signed codes', () => {
  it('has a compact, scanner-friendly shape', () => {
    const code = signCode('appointment', '7K3Q9', SECRET);
    expect(code).toMatch(/^GA1-7K3Q9-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(signCode('ticket', 'A042', SECRET)).toMatch(/^GT1-A042-/);
    // Codes already printed must keep verifying: these are what the first version signed.
    expect(code).toBe('GA1-7K3Q9-90H2TDYBYX');
    expect(signCode('ticket', 'A042', SECRET)).toBe('GT1-A042-Q97C59S716');
    expect(verifyCode(code, SECRET)).toEqual({ ok: true, kind: 'appointment', id: '7K3Q9' });
    expect(verifyCode(`${code}\r\n`, SECRET)).toEqual({
      ok: true,
      kind: 'appointment',
      id: '7K3Q9',
    });
  });

  it('gives a clear reason for each kind of bad input', () => {
    const code = signCode('appointment', 'ABC123', SECRET);
    expect(verifyCode(code, 'another-secret-0123456789')).toEqual({
      ok: false,
      reason: 'bad_signature',
    });
    expect(verifyCode(code.slice(0, -3), SECRET)).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyCode('', SECRET)).toEqual({ ok: false, reason: 'empty' });
    expect(verifyCode('x'.repeat(5000), SECRET)).toEqual({ ok: false, reason: 'too_long' });
    expect(verifyCode('ga1-abc-def', SECRET)).toEqual({ ok: false, reason: 'bad_characters' });
    expect(verifyCode(code.replace('GA1', 'GA2'), SECRET)).toEqual({
      ok: false,
      reason: 'unknown_version',
    });
    expect(verifyCode(code.replace('GA1', 'GX1'), SECRET)).toEqual({
      ok: false,
      reason: 'unknown_kind',
    });
    expect(verifyCode(42, SECRET)).toEqual({ ok: false, reason: 'not_a_string' });
  });

  it('refuses bad ids and short secrets when signing', () => {
    expect(() => signCode('ticket', 'a-b', SECRET)).toThrow(TypeError);
    expect(() => signCode('ticket', 'X'.repeat(21), SECRET)).toThrow(TypeError);
    expect(() => signCode('ticket', 'ABC', 'short')).toThrow(TypeError);
  });

  it('every signed code verifies and stays within the length limit', () => {
    fc.assert(
      fc.property(kindArb, idArb, (kind, id) => {
        const code = signCode(kind, id, SECRET);
        expect(code.length).toBeLessThanOrEqual(MAX_CODE_LENGTH);
        expect(verifyCode(code, SECRET)).toEqual({ ok: true, kind, id });
      }),
    );
  });

  it('any single-character change is rejected', () => {
    fc.assert(
      fc.property(
        kindArb,
        idArb,
        fc.nat(),
        fc.constantFrom(...CODE_CHARS, 'a', ' ', 'é', '\u0000'),
        (kind, id, at, replacement) => {
          const code = signCode(kind, id, SECRET);
          const i = at % code.length;
          fc.pre(code[i] !== replacement);
          const changed = code.slice(0, i) + replacement + code.slice(i + 1);
          expect(verifyCode(changed, SECRET).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('random strings and byte noise never throw and never verify', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 60 })),
        (s) => {
          expect(verifyCode(s, SECRET).ok).toBe(false);
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(verifyCode(Buffer.from(bytes).toString('latin1'), SECRET).ok).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });
});
