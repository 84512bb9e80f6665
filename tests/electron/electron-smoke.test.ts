// The Electron smoke test: launch the shell on the demo branch and look at the kiosk window from
// the outside with Playwright. It runs whenever an Electron binary is present; where there is
// none (the electron package could not download it, as on a machine without internet access) it
// proves that absence and says the smoke test was skipped, rather than being marked skipped.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { expect, it } from 'vitest';
import { probeElectron } from '../../main/launch/launch-plan';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const probe = probeElectron(() => createRequire(import.meta.url)('electron'), existsSync);

it('electron smoke (runs only with an Electron binary)', async () => {
  if (!probe.available) {
    expect(() => createRequire(import.meta.url)('electron')).toThrow();
    console.log(
      `skipped: no Electron binary on this machine (${probe.reason}); the smoke test did not run.`,
    );
    return;
  }
  const { buildShell } = await import('../../main/build');
  const { mainEntry } = await buildShell({ production: false });
  const args = [mainEntry, '--guichet-demo'];
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const app = await electron.launch({
    executablePath: probe.binary,
    args,
    cwd: repoRoot,
    timeout: 60_000,
  });
  try {
    const kiosk = await app.waitForEvent('window', {
      predicate: (page) => page.url().includes('/kiosk'),
      timeout: 60_000,
    });
    await kiosk.waitForLoadState('domcontentloaded');
    expect(new URL(kiosk.url()).pathname).toBe('/kiosk');
    await expect.poll(() => kiosk.locator('#root').innerHTML(), { timeout: 30_000 }).not.toBe('');
    // Node must be nowhere in the page.
    expect(await kiosk.evaluate(() => typeof (window as { require?: unknown }).require)).toBe(
      'undefined',
    );
    expect(await kiosk.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe(
      'undefined',
    );
    // Navigating away is refused: the page stays on the kiosk.
    const before = kiosk.url();
    await kiosk.evaluate(() => {
      location.href = 'https://example.com/';
    });
    await kiosk.waitForTimeout(500);
    expect(kiosk.url().startsWith(new URL(before).origin)).toBe(true);
    expect(await kiosk.evaluate(() => window.open('https://example.com/'))).toBeNull();
  } finally {
    await app.close();
  }
}, 180_000);
