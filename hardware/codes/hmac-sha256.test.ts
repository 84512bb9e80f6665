import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from './hmac-sha256';

const reference = (key: Uint8Array, message: string): Buffer =>
  createHmac('sha256', key).update(message, 'utf8').digest();

describe('hmacSha256', () => {
  it('matches RFC 4231 test case 2 (a short key)', () => {
    expect(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
  });

  it('gives what createHmac gives, for keys shorter than, as long as and longer than a block', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 300 })),
        (key, message) => {
          expect(hmacSha256(key, message).equals(reference(key, message))).toBe(true);
        },
      ),
      { numRuns: 500 },
    );
    for (const length of [63, 64, 65])
      expect(
        hmacSha256(Buffer.alloc(length, 7), 'x').equals(reference(Buffer.alloc(length, 7), 'x')),
      ).toBe(true);
  });
});
