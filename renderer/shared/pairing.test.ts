import { describe, expect, it } from 'vitest';
import { credentialsFromInput, takeTokenFromUrl } from './pairing';

describe('pairing input', () => {
  it('reads an 8-character code, forgiving spaces, dashes and case', () => {
    expect(credentialsFromInput(' abcd-1234 ')).toEqual({ code: 'ABCD1234' });
  });
  it('reads anything longer as a token', () => {
    expect(credentialsFromInput('tok_0123456789abcdef')).toEqual({ token: 'tok_0123456789abcdef' });
  });
  it('ignores empty input', () => {
    expect(credentialsFromInput('   ')).toBeNull();
  });
});

describe('token in the URL', () => {
  it('is taken out, other parameters kept', () => {
    expect(takeTokenFromUrl('http://hub:8787/display?token=s3cret&lang=ar#x')).toEqual({
      token: 's3cret',
      cleanUrl: '/display?lang=ar#x',
    });
    expect(takeTokenFromUrl('http://hub/kiosk').token).toBeNull();
  });
});
