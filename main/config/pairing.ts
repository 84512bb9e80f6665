// Pairing a screen of this machine with the hub: the setup page gives a pairing code (or a
// token), main posts it to the hub's /api/v1/pair, and keeps the device token the hub answers
// with in its HttpOnly cookie. Main stores that token (encrypted) and plants it as the cookie in
// the screen's own session, so the page never holds it.

export const TOKEN_COOKIE = 'guichet_token';

/** The body for POST /api/v1/pair: 8-character codes are pairing codes, anything else a token. */
export function pairBody(credential: string): { code: string } | { token: string } {
  return /^[A-Za-z0-9]{8}$/.test(credential)
    ? { code: credential.toUpperCase() }
    : { token: credential };
}

/** The device token from the pairing answer's Set-Cookie headers, or null. */
export function tokenFromSetCookie(setCookies: readonly string[]): string | null {
  for (const header of setCookies) {
    const [pair] = header.split(';');
    const eq = pair?.indexOf('=') ?? -1;
    if (!pair || eq < 0) continue;
    if (pair.slice(0, eq).trim() !== TOKEN_COOKIE) continue;
    const value = decodeURIComponent(pair.slice(eq + 1).trim());
    return value === '' ? null : value;
  }
  return null;
}

export type PairOutcome = { ok: true; token: string } | { ok: false; reason: string };

export async function pairWithHub(
  hubUrl: string,
  credential: string,
  fetchImpl: typeof fetch = fetch,
): Promise<PairOutcome> {
  let response: Response;
  try {
    response = await fetchImpl(`${hubUrl}/api/v1/pair`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(pairBody(credential)),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return {
      ok: false,
      reason: `hub unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  if (response.status === 401) return { ok: false, reason: 'unknown or expired pairing code' };
  if (!response.ok) return { ok: false, reason: `the hub answered ${response.status}` };
  const token = tokenFromSetCookie(response.headers.getSetCookie());
  return token ? { ok: true, token } : { ok: false, reason: 'the hub set no device cookie' };
}
