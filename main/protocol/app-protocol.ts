// The app:// scheme: how Guichet's own pages reach a window without file:// (which would give a
// page the whole disk as its origin). Registered as standard + secure before the app is ready,
// so pages on it get a real origin, CSP and fetch like https pages.
//
// app://guichet/shell/…      the shell's own pages (setup, staff PIN, status), from the bundle
// app://guichet/kiosk, …     the screens from a packaged renderer/dist, and their /assets/
// app://guichet/api/v1/…     proxied to the hub with the screen's device token
//
// The screens' live event stream is a WebSocket on the page's own origin, which a custom scheme
// cannot carry (and Electron ignores webRequest redirects of WebSockets), so lobby screens are
// loaded from the hub's http origin instead; see docs/electron.md. This router still serves them
// for a screen that needs no stream and for the day the renderer can take a stream URL.
import path from 'node:path';

export const APP_SCHEME = 'app';
export const APP_HOST = 'guichet';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/** For protocol.registerSchemesAsPrivileged, before app ready. */
export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  corsEnabled: false,
  stream: true,
  bypassCSP: false,
  allowServiceWorkers: false,
} as const;

const SCREEN_PAGES = new Set(['kiosk', 'display', 'counter', 'admin']);

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

export type AppRoute =
  | { kind: 'file'; file: string; contentType: string }
  | { kind: 'proxy'; url: string }
  | { kind: 'not-found' };

export interface AppRouterOptions {
  shellDir: string;
  /** renderer/dist when it is packaged, else null (screens then come from the hub). */
  screensDir: string | null;
  hubUrl: string | null;
}

/** A path inside `root`, or null when the request tries to leave it (../, encoded or not). */
export function safeJoin(root: string, requestPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(requestPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const resolvedRoot = path.resolve(root);
  const file = path.resolve(resolvedRoot, '.' + path.posix.normalize('/' + decoded));
  // The root itself is a folder, never a file to serve.
  return file.startsWith(resolvedRoot + path.sep) ? file : null;
}

function fileRoute(root: string, requestPath: string): AppRoute {
  const file = safeJoin(root, requestPath);
  if (!file) return { kind: 'not-found' };
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()];
  return contentType ? { kind: 'file', file, contentType } : { kind: 'not-found' };
}

export function routeAppRequest(rawUrl: string, options: AppRouterOptions): AppRoute {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return { kind: 'not-found' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host.toLowerCase() !== APP_HOST || url.username)
    return { kind: 'not-found' };
  const pathname = url.pathname;
  if (pathname.startsWith('/shell/'))
    return fileRoute(options.shellDir, pathname.slice('/shell/'.length));
  if (pathname.startsWith('/api/v1/') && options.hubUrl)
    return { kind: 'proxy', url: `${options.hubUrl}${pathname}${url.search}` };
  if (options.screensDir) {
    const page = pathname.slice(1);
    if (SCREEN_PAGES.has(page)) return fileRoute(options.screensDir, `${page}.html`);
    if (pathname.startsWith('/assets/')) return fileRoute(options.screensDir, pathname.slice(1));
  }
  return { kind: 'not-found' };
}
