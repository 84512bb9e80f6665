import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  chromiumArgs,
  demoReady,
  ELECTRON_MISSING_LINE,
  findChromium,
  planLaunch,
  probeElectron,
  readDemoLine,
  type DemoUrls,
} from '../../main/launch/launch-plan';

const nothingExists = () => false;

describe('launcher: is Electron there?', () => {
  it('is not when require("electron") throws (binary never downloaded)', () => {
    const probe = probeElectron(() => {
      throw new Error('Electron failed to install correctly');
    }, nothingExists);
    expect(probe).toEqual({ available: false, reason: 'Electron failed to install correctly' });
  });

  it('is not when the path it gives leads nowhere', () => {
    expect(probeElectron(() => '/x/electron', nothingExists)).toEqual({
      available: false,
      reason: 'no file at /x/electron',
    });
  });

  it('is not when the package exports something odd (e.g. run inside Electron itself)', () => {
    expect(
      probeElectron(
        () => ({ app: {} }),
        () => true,
      ).available,
    ).toBe(false);
  });

  it('is when the binary exists', () => {
    expect(
      probeElectron(
        () => '/x/electron',
        (f) => f === '/x/electron',
      ),
    ).toEqual({
      available: true,
      binary: '/x/electron',
    });
  });
});

describe('launcher: the plan', () => {
  it('launches Electron whenever the binary is there, Chromium or not', () => {
    expect(planLaunch({ available: true, binary: '/e' }, '/usr/bin/chromium')).toEqual({
      mode: 'electron',
      binary: '/e',
    });
  });

  it('falls back to browser mode with the one-line notice, with or without Chromium', () => {
    const missing = { available: false as const, reason: 'x' };
    expect(planLaunch(missing, '/usr/bin/chromium')).toEqual({
      mode: 'browser',
      chromium: '/usr/bin/chromium',
      notice: ELECTRON_MISSING_LINE,
    });
    expect(planLaunch(missing, null)).toMatchObject({ mode: 'browser', chromium: null });
    expect(ELECTRON_MISSING_LINE).not.toContain('\n');
  });
});

describe('launcher: finding Chromium', () => {
  it('prefers Debian’s /usr/bin/chromium', () => {
    expect(findChromium('/opt/bin', (f) => f === '/usr/bin/chromium', 'linux')).toBe(
      '/usr/bin/chromium',
    );
  });

  it('else looks along PATH for chromium or chromium-browser', () => {
    const want = path.join('/snap/bin', 'chromium-browser');
    expect(
      findChromium(['/opt/bin', '/snap/bin'].join(path.delimiter), (f) => f === want, 'linux'),
    ).toBe(want);
  });

  it('gives null when there is none', () => {
    expect(findChromium('/opt/bin', nothingExists, 'linux')).toBeNull();
    expect(findChromium(undefined, nothingExists, 'linux')).toBeNull();
  });
});

describe('launcher: reading the demo output', () => {
  const output = [
    'Guichet demo branch "Mairie de Démo" is running on http://127.0.0.1:4280',
    '',
    '  Kiosk:    http://127.0.0.1:4280/kiosk?token=k1',
    '  Display:  http://127.0.0.1:4280/display?token=d1',
    '  Counter:  http://127.0.0.1:4280/counter?token=c1   (counter-1)',
    '  Counter:  http://127.0.0.1:4280/counter?token=c2   (counter-2)',
    '  Admin:    http://127.0.0.1:4280/admin?token=a1',
    '  API:      http://127.0.0.1:4280/api/v1/openapi.json',
    '  kiosk     k1',
  ];

  it('collects every screen URL and knows when it has enough', () => {
    let urls: DemoUrls = { counters: [] };
    const readiness: boolean[] = [];
    for (const line of output) {
      urls = readDemoLine(line, urls);
      readiness.push(demoReady(urls));
    }
    expect(urls).toEqual({
      hub: 'http://127.0.0.1:4280',
      kiosk: 'http://127.0.0.1:4280/kiosk?token=k1',
      display: 'http://127.0.0.1:4280/display?token=d1',
      counters: [
        'http://127.0.0.1:4280/counter?token=c1',
        'http://127.0.0.1:4280/counter?token=c2',
      ],
      admin: 'http://127.0.0.1:4280/admin?token=a1',
    });
    expect(readiness.indexOf(true)).toBe(3); // ready right after the Display line
  });

  it('opens Chromium in app mode with its own throw-away profile', () => {
    expect(chromiumArgs('http://h/kiosk', '/tmp/p')).toEqual(
      expect.arrayContaining(['--app=http://h/kiosk', '--user-data-dir=/tmp/p', '--no-first-run']),
    );
  });
});
