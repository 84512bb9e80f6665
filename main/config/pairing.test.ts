import { describe, expect, it } from 'vitest';
import { pairBody, pairWithHub, tokenFromSetCookie } from './pairing';

describe('pairing with the hub', () => {
  it('sends 8-character codes as codes and anything longer as a token', () => {
    expect(pairBody('ab12cd34')).toEqual({ code: 'AB12CD34' });
    expect(pairBody('tok_0123456789abcdef0123')).toEqual({ token: 'tok_0123456789abcdef0123' });
  });

  it('reads the token from the HttpOnly cookie and ignores other cookies', () => {
    expect(
      tokenFromSetCookie([
        'other=1; Path=/',
        'guichet_token=abc%2Ddef; Path=/; HttpOnly; SameSite=Strict',
      ]),
    ).toBe('abc-def');
    expect(tokenFromSetCookie(['guichet_token=; Max-Age=0'])).toBeNull();
    expect(tokenFromSetCookie(['x_guichet_token=evil'])).toBeNull();
  });

  it('pairs through an injected fetch and explains failures', async () => {
    const answer = (status: number, cookie?: string) => async () =>
      new Response('{}', { status, headers: cookie ? { 'set-cookie': cookie } : {} });
    expect(
      await pairWithHub('http://hub', 'AB12CD34', answer(200, 'guichet_token=t1; HttpOnly')),
    ).toEqual({
      ok: true,
      token: 't1',
    });
    expect(await pairWithHub('http://hub', 'AB12CD34', answer(401))).toEqual({
      ok: false,
      reason: 'unknown or expired pairing code',
    });
    expect(await pairWithHub('http://hub', 'AB12CD34', answer(200))).toMatchObject({ ok: false });
    const down = async () => {
      throw new Error('ECONNREFUSED');
    };
    expect(await pairWithHub('http://hub', 'AB12CD34', down)).toMatchObject({
      ok: false,
      reason: expect.stringContaining('unreachable'),
    });
  });
});
