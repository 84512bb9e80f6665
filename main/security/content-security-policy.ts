// The Content-Security-Policy every Guichet page gets, as a response header (a header cannot be
// removed by the page, a <meta> tag can be). Scripts and styles only from the page's own origin,
// no plugins, no framing, no <base> tricks. `connect-src 'self'` also covers ws:// to the same
// host in Chromium (CSP level 3), which the screens' event stream needs.

export interface CspOptions {
  /** Extra origins pages may fetch from (e.g. the hub, for the setup page's pairing check). */
  connectTo?: readonly string[];
}

export function contentSecurityPolicy(options: CspOptions = {}): string {
  const connect = ["'self'", ...(options.connectTo ?? [])].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "media-src 'self' data: blob:",
    `connect-src ${connect}`,
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "worker-src 'self'",
  ].join('; ');
}

/** Headers added to every response a Guichet window receives. */
export function securityHeaders(options: CspOptions = {}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(options),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
  };
}

/**
 * Merges our headers into a response's headers (Electron's onHeadersReceived shape), replacing
 * any CSP the server sent whatever its capitalisation, so a looser one can never win.
 */
export function withSecurityHeaders(
  responseHeaders: Record<string, string[]> | undefined,
  options: CspOptions = {},
): Record<string, string[]> {
  const ours = securityHeaders(options);
  const merged: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(responseHeaders ?? {})) {
    if (name.toLowerCase() in ours) continue;
    merged[name] = values;
  }
  for (const [name, value] of Object.entries(ours)) merged[name] = [value];
  return merged;
}
