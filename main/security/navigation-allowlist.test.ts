import { describe, expect, it } from 'vitest';
import { createNavigationAllowlist, originOf } from './navigation-allowlist';

const allowlist = createNavigationAllowlist(['app://guichet', 'http://127.0.0.1:4280']);

describe('navigation allowlist', () => {
  it.each([
    'app://guichet/shell/setup.html',
    'app://guichet/kiosk?lang=fr',
    'APP://guichet/kiosk',
    'app://GUICHET/kiosk',
    'http://127.0.0.1:4280/kiosk',
    'HTTP://127.0.0.1:4280/display#x',
    'http://127.0.0.1:4280/api/v1/health',
  ])('allows %s', (url) => {
    expect(allowlist.isAllowed(url)).toBe(true);
  });

  it.each([
    ['a look-alike host', 'app://guichet.evil/kiosk'],
    ['credentials hiding the host', 'app://guichet@evil/kiosk'],
    ['credentials before the hub', 'http://127.0.0.1:4280@evil.example/'],
    ['user info on an allowed host', 'http://user:pw@127.0.0.1:4280/kiosk'],
    ['a look-alike of localhost', 'http://localhost.evil.example/'],
    ['the hub on another port', 'http://127.0.0.1:4281/kiosk'],
    ['the hub without its port', 'http://127.0.0.1/kiosk'],
    ['the hub over https (other origin)', 'https://127.0.0.1:4280/kiosk'],
    ['javascript:', 'javascript:alert(1)'],
    ['JavaScript: in capitals', 'JaVaScRiPt:alert(1)'],
    ['javascript: with leading blanks', '  javascript:alert(1)'],
    ['a file', 'file:///etc/passwd'],
    ['a file in capitals', 'FILE:///etc/passwd'],
    ['data: HTML', 'data:text/html,<script>alert(1)</script>'],
    ['blob:', 'blob:app://guichet/4b1c'],
    ['about:blank', 'about:blank'],
    ['a percent-encoded host', 'app://guich%65t/kiosk'],
    ['a percent-encoded dot', 'app://guichet%2eevil/kiosk'],
    ['an encoded @', 'app://guichet%40evil/kiosk'],
    ['a backslash trick', 'app://guichet\\@evil/kiosk'],
    ['an empty host', 'app:///kiosk'],
    ['view-source:', 'view-source:app://guichet/kiosk'],
    ['chrome:', 'chrome://gpu'],
    ['devtools:', 'devtools://devtools/bundled/inspector.html'],
    ['ws: to the hub', 'ws://127.0.0.1:4280/api/v1/stream'],
    ['garbage', 'not a url'],
    ['empty', ''],
  ])('refuses %s', (_why, url) => {
    expect(allowlist.isAllowed(url)).toBe(false);
  });

  it('treats a percent-encoded hub host like the parser does (decoded, then compared)', () => {
    // For http: the WHATWG parser decodes %2e to "." before we compare, so this is 127.0.0.1.
    expect(originOf('http://127%2e0.0.1:4280/')).toBe('http://127.0.0.1:4280');
    expect(allowlist.isAllowed('http://127%2e0.0.1:4281/')).toBe(false);
  });

  it('refuses to build an allowlist from a bad origin, so a typo cannot open everything', () => {
    expect(() => createNavigationAllowlist(['file:///'])).toThrow();
    expect(() => createNavigationAllowlist(['javascript:'])).toThrow();
  });

  it('normalises default ports, so http://hub:80 and http://hub are one origin', () => {
    const list = createNavigationAllowlist(['http://hub.local:80']);
    expect(list.isAllowed('http://hub.local/kiosk')).toBe(true);
    expect(list.isAllowed('http://hub.local:8080/kiosk')).toBe(false);
  });
});
