import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyBurst, createWedgeDetector, type Keystroke } from './wedge-detector.js';

const strokes = (text: string, start: number, gap: number): Keystroke[] =>
  [...text].map((key, i) => ({ key, t: start + i * gap }));

describe('keyboard wedge detector', () => {
  it('recognises a scanner burst ended by Enter', () => {
    const detector = createWedgeDetector();
    const keys = strokes('GA1-ABC-123', 1000, 8);
    for (const k of keys) expect(detector.push(k)).toBeNull();
    expect(detector.push({ key: 'Enter', t: 1090 })).toEqual({
      scanner: true,
      text: 'GA1-ABC-123',
    });
  });

  it('treats human typing as typing', () => {
    expect(classifyBurst(strokes('GA1-ABC', 0, 180))).toMatchObject({
      scanner: false,
      reason: 'too_slow',
    });
    expect(classifyBurst(strokes('AB', 0, 5))).toMatchObject({
      scanner: false,
      reason: 'too_short',
    });
    const uneven = [
      ...strokes('ABCDEF', 0, 5),
      { key: 'G', t: 400 },
      ...strokes('HIJKLMNOPQRSTU', 401, 1),
    ];
    expect(classifyBurst(uneven)).toMatchObject({ scanner: false, reason: 'uneven' });
    expect(classifyBurst(strokes('AB\u0007CD', 0, 5))).toMatchObject({
      scanner: false,
      reason: 'not_printable',
    });
  });

  it('ignores Shift inside a burst and ends a suffix-less burst after a pause', () => {
    const detector = createWedgeDetector();
    detector.push({ key: 'Shift', t: 0 });
    for (const k of strokes('XYZ123', 1, 6)) detector.push(k);
    expect(detector.flush(20)).toBeNull();
    expect(detector.flush(200)).toEqual({ scanner: true, text: 'XYZ123' });
    // A later key after a long pause closes the previous burst too.
    for (const k of strokes('QWERTY', 1000, 5)) detector.push(k);
    expect(detector.push({ key: 'A', t: 2000 })).toEqual({ scanner: true, text: 'QWERTY' });
  });

  it('never throws and stays bounded on arbitrary key streams', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ key: fc.string({ maxLength: 6 }), t: fc.integer({ min: 0, max: 1e9 }) }),
          {
            maxLength: 300,
          },
        ),
        (keys) => {
          const detector = createWedgeDetector();
          for (const k of keys) {
            const verdict = detector.push(k);
            if (verdict) expect(verdict.text.length).toBeLessThanOrEqual(65 * 6);
          }
          detector.flush(2e9);
        },
      ),
    );
  });
});
