import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeAppRequest, safeJoin } from './app-protocol';

const shellDir = path.resolve('/opt/guichet/shell');
const screensDir = path.resolve('/opt/guichet/screens');
const options = { shellDir, screensDir, hubUrl: 'http://127.0.0.1:4280' };

describe('app:// router', () => {
  it('serves the shell pages and the packaged screens', () => {
    expect(routeAppRequest('app://guichet/shell/setup.html', options)).toEqual({
      kind: 'file',
      file: path.join(shellDir, 'setup.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(routeAppRequest('app://guichet/kiosk?lang=ar', options)).toMatchObject({
      file: path.join(screensDir, 'kiosk.html'),
    });
    expect(routeAppRequest('app://guichet/assets/kiosk-abc123.js', options)).toMatchObject({
      file: path.join(screensDir, 'assets', 'kiosk-abc123.js'),
      contentType: 'text/javascript; charset=utf-8',
    });
  });

  it('proxies the API to the hub, keeping the query', () => {
    expect(routeAppRequest('app://guichet/api/v1/queue?x=1', options)).toEqual({
      kind: 'proxy',
      url: 'http://127.0.0.1:4280/api/v1/queue?x=1',
    });
  });

  it.each([
    'app://guichet/shell/../../../etc/passwd',
    'app://guichet/shell/%2e%2e/%2e%2e/etc/passwd',
    'app://guichet/shell/..%2f..%2fetc%2fpasswd',
    'app://guichet/shell/%2e%2e%5c%2e%2e%5cetc%5cpasswd',
    'app://guichet/shell/setup.html%00.png',
    'app://guichet/shell/%E0%A4%A',
    'app://guichet/assets/../../secret.js',
    'app://guichet/shell/secrets.key',
    'app://guichet.evil/shell/setup.html',
    'app://guichet@evil/shell/setup.html',
    'app://other/shell/setup.html',
    'file:///etc/passwd',
    'app://guichet/etc/passwd',
  ])('answers 404 to %s', (url) => {
    expect(routeAppRequest(url, options)).toEqual({ kind: 'not-found' });
  });

  it('serves no screens and proxies nothing when there is neither dist nor hub', () => {
    const bare = { shellDir, screensDir: null, hubUrl: null };
    expect(routeAppRequest('app://guichet/kiosk', bare)).toEqual({ kind: 'not-found' });
    expect(routeAppRequest('app://guichet/api/v1/me', bare)).toEqual({ kind: 'not-found' });
  });

  it('keeps joined paths inside their root', () => {
    expect(safeJoin(shellDir, 'a/b.css')).toBe(path.join(shellDir, 'a', 'b.css'));
    expect(safeJoin(shellDir, '../x')).toBe(path.join(shellDir, 'x'));
    expect(safeJoin(shellDir, '')).toBeNull();
  });
});
