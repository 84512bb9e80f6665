// Which URLs a Guichet window may load. Everything not listed is refused: a lobby machine must
// never end up on a web page, a file or a script URL, however the link or redirect was spelled.
//
// An origin is compared as scheme + host + port after the WHATWG URL parser has normalised it
// (lower case, default ports dropped, IDNA). Custom schemes such as app: are "non-special" to that
// parser: their host is kept as written, so we lower-case it ourselves and refuse any host that is
// still percent-encoded, which Chromium would decode to something else than what we compared.

const ALLOWED_SCHEMES = new Set(['app:', 'http:', 'https:']);

/** A URL reduced to what we compare, or null when it must be refused outright. */
export function originOf(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (!ALLOWED_SCHEMES.has(url.protocol)) return null;
  // user:pass@host hides the real host from a reader (app://guichet@evil is host "evil").
  if (url.username !== '' || url.password !== '') return null;
  const host = url.host.toLowerCase();
  if (host === '' || host.includes('%')) return null;
  // Backslashes and other oddities are normalised by the parser for special schemes only.
  if (url.protocol === 'app:' && !/^[a-z0-9.-]+$/.test(host)) return null;
  return `${url.protocol}//${host}`;
}

/** Builds the checker once per window from the origins it may visit. */
export function createNavigationAllowlist(allowedOrigins: readonly string[]) {
  const allowed = new Set<string>();
  for (const origin of allowedOrigins) {
    const normalised = originOf(origin);
    if (normalised === null) throw new Error(`Not an allowable origin: ${origin}`);
    allowed.add(normalised);
  }
  return {
    origins: [...allowed],
    isAllowed(raw: string): boolean {
      const origin = originOf(raw);
      return origin !== null && allowed.has(origin);
    },
  };
}

export type NavigationAllowlist = ReturnType<typeof createNavigationAllowlist>;
