import { describe, expect, it } from 'vitest';
import { ServerError } from '../server-error';
import { decodeCursor, encodeCursor } from './cursor';

describe('pull cursor', () => {
  it('round-trips and starts from the beginning when absent', () => {
    expect(decodeCursor(encodeCursor({ pos: 1234, configVersion: 7 }))).toEqual({
      pos: 1234,
      configVersion: 7,
    });
    expect(decodeCursor(undefined)).toEqual({ pos: 0, configVersion: 0 });
    expect(decodeCursor('')).toEqual({ pos: 0, configVersion: 0 });
  });

  it('refuses what it did not issue with a 400', () => {
    for (const bad of ['1.2', 'c2.1.1', 'c1.-1.0', 'c1.1.1.', 'c1.9999999999999999.0'])
      expect(() => decodeCursor(bad)).toThrow(ServerError);
  });
});
