// What `npm start` does on this machine, decided from facts gathered beforehand (is there an
// Electron binary? a Chromium?) so each decision is a pure function with its own tests.
import path from 'node:path';

export const ELECTRON_MISSING_LINE =
  'Electron is not available on this machine (its binary could not be downloaded); running the demo in browser mode.';

export type ElectronProbe =
  { available: true; binary: string } | { available: false; reason: string };

/**
 * The electron npm package exports the path of its binary, and throws when the binary was never
 * downloaded (its install script failed or was skipped). Even a returned path may point nowhere.
 */
export function probeElectron(
  requireElectron: () => unknown,
  exists: (file: string) => boolean,
): ElectronProbe {
  let exported: unknown;
  try {
    exported = requireElectron();
  } catch (error) {
    return { available: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (typeof exported !== 'string' || exported === '')
    return { available: false, reason: 'the electron package did not give a binary path' };
  if (!exists(exported)) return { available: false, reason: `no file at ${exported}` };
  return { available: true, binary: exported };
}

/** Chromium from Debian, else the first `chromium`/`chromium-browser` on PATH, else null. */
export function findChromium(
  pathVariable: string | undefined,
  exists: (file: string) => boolean,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (platform !== 'win32' && exists('/usr/bin/chromium')) return '/usr/bin/chromium';
  const names = platform === 'win32' ? ['chromium.exe'] : ['chromium', 'chromium-browser'];
  for (const dir of (pathVariable ?? '').split(path.delimiter).filter(Boolean))
    for (const name of names) {
      const candidate = path.join(dir, name);
      if (exists(candidate)) return candidate;
    }
  return null;
}

export type LaunchPlan =
  | { mode: 'electron'; binary: string }
  | { mode: 'browser'; chromium: string | null; notice: string };

export function planLaunch(electron: ElectronProbe, chromium: string | null): LaunchPlan {
  if (electron.available) return { mode: 'electron', binary: electron.binary };
  return { mode: 'browser', chromium, notice: ELECTRON_MISSING_LINE };
}

export interface DemoUrls {
  hub?: string;
  kiosk?: string;
  display?: string;
  counters: string[];
  admin?: string;
}

/** Collects the URLs `guichet demo` prints ("  Kiosk:    http://…"), line by line as they come. */
export function readDemoLine(line: string, urls: DemoUrls): DemoUrls {
  const running = /is running on (https?:\/\/\S+)/.exec(line);
  if (running) return { ...urls, hub: running[1] };
  const screen = /^\s*(Kiosk|Display|Counter|Admin):\s+(https?:\/\/\S+)/.exec(line);
  if (!screen) return urls;
  const [, label, url] = screen as unknown as [string, string, string];
  switch (label) {
    case 'Kiosk':
      return { ...urls, kiosk: url };
    case 'Display':
      return { ...urls, display: url };
    case 'Admin':
      return { ...urls, admin: url };
    default:
      return { ...urls, counters: [...urls.counters, url] };
  }
}

/** The demo is ready for browsers once it has printed the kiosk and display URLs. */
export function demoReady(urls: DemoUrls): urls is DemoUrls & { kiosk: string; display: string } {
  return urls.kiosk !== undefined && urls.display !== undefined;
}

/** Chromium in app mode (no tabs, no address bar) with a throw-away profile of its own. */
export function chromiumArgs(url: string, userDataDir: string): string[] {
  return [
    `--app=${url}`,
    `--user-data-dir=${userDataDir}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-features=Translate',
    '--autoplay-policy=no-user-gesture-required',
  ];
}
