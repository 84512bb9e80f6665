import { describe, expect, it } from 'vitest';
import {
  fillTemplate,
  formatDuration,
  formatTimer,
  secondsBetween,
  serviceName,
  spokenCounter,
  spokenNumber,
} from './format';

const t = (key: string, values?: Record<string, unknown>) =>
  `${key}${JSON.stringify(values ?? {})}`;

describe('formatting', () => {
  it('spells ticket numbers for speech', () => {
    expect(spokenNumber('A042')).toBe('A 42');
    expect(spokenNumber('B100')).toBe('B 100');
    expect(spokenNumber('C000')).toBe('C 0');
    expect(spokenNumber('weird')).toBe('weird');
  });

  it('keeps only the counter number when the name already says "counter"', () => {
    expect(spokenCounter('Guichet 3')).toBe('3');
    expect(spokenCounter('12')).toBe('12');
    expect(spokenCounter('Accueil')).toBe('Accueil');
  });

  it('fills announcement templates', () => {
    expect(
      fillTemplate('Le ticket {number} est attendu au guichet {counter}', {
        number: 'A 42',
        counter: '3',
      }),
    ).toBe('Le ticket A 42 est attendu au guichet 3');
  });

  it('formats durations as people say them', () => {
    expect(formatDuration(20, t)).toBe('duration.lessThanMinute{}');
    expect(formatDuration(12 * 60 + 10, t)).toBe('duration.minutes{"count":12}');
    expect(formatDuration(65 * 60, t)).toBe('duration.hoursMinutes{"hours":1,"minutes":"05"}');
  });

  it('formats timers', () => {
    expect(formatTimer(0)).toBe('0:00');
    expect(formatTimer(247)).toBe('4:07');
    expect(formatTimer(3723)).toBe('1:02:03');
    expect(formatTimer(-5)).toBe('0:00');
  });

  it('picks a service name in the visitor language, then the default', () => {
    const s = { prefix: 'B', name: { fr: 'Passeports', en: 'Passports' } };
    expect(serviceName(s, 'en')).toBe('Passports');
    expect(serviceName(s, 'ar', 'fr')).toBe('Passeports');
    expect(serviceName({ prefix: 'Z', name: {} }, 'ar')).toBe('Z');
  });

  it('counts seconds between instants', () => {
    expect(secondsBetween('2026-01-01T10:00:00Z', Date.parse('2026-01-01T10:01:30Z'))).toBe(90);
    expect(secondsBetween(5000, 1000)).toBe(0);
  });
});
