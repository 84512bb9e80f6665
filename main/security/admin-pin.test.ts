import { describe, expect, it } from 'vitest';
import { hashPin, PinAttemptLimiter, PinHashSchema, verifyPin } from './admin-pin';

// A low cost keeps the test fast; production uses N = 2^15.
const cheap = { N: 1024, r: 8, p: 1 };

describe('admin PIN', () => {
  it('verifies the right PIN and refuses a wrong one, without storing the PIN', async () => {
    const stored = await hashPin('482913', cheap);
    expect(PinHashSchema.parse(stored)).toEqual(stored);
    expect(JSON.stringify(stored)).not.toContain('482913');
    expect(await verifyPin('482913', stored)).toBe(true);
    expect(await verifyPin('482914', stored)).toBe(false);
    expect(await verifyPin('', stored)).toBe(false);
    expect(await verifyPin('48291३', stored)).toBe(false); // a non-ASCII digit
  });

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPin('123456', cheap), hashPin('123456', cheap)]);
    expect(a.hash).not.toBe(b.hash);
  });

  it('refuses to set a PIN that is too short or not digits', async () => {
    await expect(hashPin('1234', cheap)).rejects.toThrow();
    await expect(hashPin('abcdef', cheap)).rejects.toThrow();
  });

  it('slows guesses down after three wrong PINs, and forgets after a right one', () => {
    let now = 0;
    const limiter = new PinAttemptLimiter(() => now);
    for (let i = 0; i < 3; i++) limiter.record(false);
    expect(limiter.waitMs()).toBe(0);
    limiter.record(false);
    expect(limiter.waitMs()).toBe(1000);
    now += 1000;
    limiter.record(false);
    expect(limiter.waitMs()).toBe(2000);
    limiter.record(true);
    expect(limiter.waitMs()).toBe(0);
  });
});
