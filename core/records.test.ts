import { describe, expect, it } from 'vitest';
import { merged, withChanges } from './records';

describe('withChanges', () => {
  it('copies the record with the changed fields and leaves the original alone', () => {
    const base = { id: 't1', status: 'waiting', recalls: 0 };
    const next = withChanges(base, { status: 'called', recalls: 1 });
    expect(next).toEqual({ id: 't1', status: 'called', recalls: 1 });
    expect(next).not.toBe(base);
    expect(base).toEqual({ id: 't1', status: 'waiting', recalls: 0 });
  });

  it('keeps the fields in the original order, as a spread would (patches compare JSON)', () => {
    const base = { a: 1, b: 2, c: 3 };
    expect(JSON.stringify(withChanges(base, { b: 20 }))).toBe(JSON.stringify({ ...base, b: 20 }));
  });
});

describe('merged', () => {
  it('lets the second record win, as `{ ...a, ...b }` does', () => {
    const out = merged({ id: 'x', ahead: 1, extra: true }, { ahead: 5, code: 'T' });
    expect(out).toEqual({ id: 'x', ahead: 5, extra: true, code: 'T' });
  });
});
