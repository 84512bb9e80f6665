import { describe, expect, it } from 'vitest';
import { callReasonText } from './call-reason';
import { actionForKey, SHORTCUTS, type KeyLike } from './shortcuts';

const key = (over: Partial<KeyLike>): KeyLike => ({
  key: '',
  code: '',
  ctrlKey: false,
  metaKey: false,
  altKey: false,
  ...over,
});
const t = (k: string, v?: Record<string, unknown>) => `${k}${v ? JSON.stringify(v) : ''}`;

describe('counter shortcuts', () => {
  it('gives every action its own key', () => {
    const keys = Object.values(SHORTCUTS);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('maps typed letters, whatever the case', () => {
    expect(actionForKey(key({ key: 'n', code: 'KeyN' }))).toBe('callNext');
    expect(actionForKey(key({ key: 'F', code: 'KeyF' }))).toBe('finish');
  });

  it('falls back to the physical key on a non-Latin layout', () => {
    expect(actionForKey(key({ key: 'ى', code: 'KeyN' }))).toBe('callNext');
  });

  it('never fires while typing or with modifiers', () => {
    expect(actionForKey(key({ key: 'f', code: 'KeyF', targetTag: 'textarea' }))).toBeNull();
    expect(actionForKey(key({ key: 'r', code: 'KeyR', ctrlKey: true }))).toBeNull();
    expect(actionForKey(key({ key: 'q', code: 'KeyA' }))).toBeNull();
  });
});

describe('call reasons', () => {
  it('explains a weighted choice with its numbers', () => {
    expect(
      callReasonText(
        { rule: 'weighted', serviceId: 's', waitedSec: 120, weight: 3, score: 360 },
        t,
      ),
    ).toBe('counter.reason.weighted{"waitedSec":120,"weight":3,"score":360}');
  });

  it('explains aging with the threshold and the priority cap with the streak', () => {
    expect(
      callReasonText(
        { rule: 'aging', serviceId: 's', waitedSec: 2000, agingThresholdSec: 1800 },
        t,
      ),
    ).toContain('"threshold":"duration.minutes{\\"count\\":30}"');
    expect(
      callReasonText(
        { rule: 'priority_cap', serviceId: 's', waitedSec: 30, priorityStreak: 2, priorityCap: 2 },
        t,
      ),
    ).toContain('"streak":2,"cap":2');
  });
});
