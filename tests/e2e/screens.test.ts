// Every screen in French and Arabic: axe-core (zero serious/critical violations) and a
// screenshot under artifacts/screenshots/ for a human to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hubPost } from './support/api';
import { launchChromium, openScreen, screenshot, seriousViolations } from './support/browser';
import { ensureRendererBuilt } from '../../scripts/build-screens';
import { startDemoHub, type RunningHub } from './support/hub';
import { animationsSettled } from './support/wait';

let hub: RunningHub;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  [hub, browser] = await Promise.all([startDemoHub(), launchChromium()]);
  // A morning in progress: people waiting in every service, two counters busy.
  const issue = (serviceId: string, lang: string, priority = false) =>
    hubPost(hub.url, hub.tokens.kiosk, '/tickets', { serviceId, lang, priority });
  for (const [s, l] of [
    ['etat-civil', 'fr'],
    ['passeports', 'en'],
    ['etat-civil', 'ar'],
    ['titres-sejour', 'ar'],
    ['visas', 'fr'],
    ['passeports', 'fr'],
    ['etat-civil', 'en'],
  ] as const) {
    await issue(s, l);
  }
  await issue('passeports', 'fr', true);
  const c1 = hub.tokens.counters['counter-1'] ?? '';
  const c3 = hub.tokens.counters['counter-3'] ?? '';
  await hubPost(hub.url, c3, '/counters/counter-3/call-next');
  await hubPost(hub.url, c1, '/counters/counter-1/call-next');
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), name).toEqual([]);
}

describe.each(['fr', 'ar'] as const)('screens in %s', (lang) => {
  const query = lang === 'ar' ? '&lang=ar' : '';

  it('pairing form', async () => {
    const page = await openScreen(browser, `${hub.url}/display?lang=${lang}`);
    await page.getByRole('button', { name: lang === 'ar' ? 'ربط' : 'Associer' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe(
      lang === 'ar' ? 'rtl' : 'ltr',
    );
    await check(page, `pairing-${lang}`);
    await page.context().close();
  }, 90_000);

  it('kiosk: home, high contrast, ticket, appointment', async () => {
    const page = await openScreen(browser, `${hub.url}/kiosk?token=${hub.tokens.kiosk}`, {
      viewport: { width: 1080, height: 1920 },
    });
    await page.locator('.kiosk__service').first().waitFor();
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await check(page, `kiosk-home-${lang}`);

    const contrast = page.locator('.kiosk__option[aria-pressed]').last();
    await contrast.click();
    await page.locator('.kiosk--contrast').waitFor();
    await check(page, `kiosk-contrast-${lang}`);
    await contrast.click();

    await page.locator('[data-service="passeports"]').click();
    await page.getByTestId('ticket-number').waitFor();
    await page.locator('.qr').waitFor();
    await check(page, `kiosk-ticket-${lang}`);
    await page.locator('.ticket .button--primary').click();
    // "Done" starts a new visitor's session, in the branch's language: choose ours again.
    if (lang === 'ar') await page.getByRole('button', { name: 'العربية' }).click();
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);

    await page.locator('.kiosk__option').nth(1).click();
    await page.locator('#appointment-code').fill('RDV-204');
    await page.locator('.keypad').getByRole('button', { name: '1', exact: true }).click();
    expect(await page.locator('#appointment-code').inputValue()).toBe('RDV-2041');
    await page.locator('#appointment-code').press('Enter');
    await page.locator('#appointment-error:not(:empty)').waitFor();
    await check(page, `kiosk-appointment-${lang}`);
    await page.context().close();
  }, 90_000);

  it('display: 1080p landscape, portrait and 4K', async () => {
    const page = await openScreen(
      browser,
      `${hub.url}/display?token=${hub.tokens.display}${query}`,
      {
        viewport: { width: 1920, height: 1080 },
      },
    );
    await page.getByTestId('current-number').waitFor();
    await animationsSettled(page);
    await check(page, `display-1080p-${lang}`);
    await page.setViewportSize({ width: 1080, height: 1920 });
    await screenshot(page, `display-portrait-${lang}`);
    if (lang === 'fr') {
      await page.setViewportSize({ width: 3840, height: 2160 });
      await screenshot(page, `display-4k-${lang}`);
    }
    await page.context().close();
  }, 90_000);

  it('counter at 1280×720, and its transfer dialog', async () => {
    const token = hub.tokens.counters['counter-1'];
    const page = await openScreen(browser, `${hub.url}/counter?token=${token}${query}`, {
      viewport: { width: 1280, height: 720 },
    });
    await page.getByTestId('current-ticket').waitFor();
    await check(page, `counter-${lang}`);
    await page.keyboard.press('t');
    await page.locator('dialog[open]').waitFor();
    await check(page, `counter-transfer-${lang}`);
    await page.keyboard.press('Escape');
    await page.context().close();
  }, 90_000);

  it('admin: every tab', async () => {
    const page = await openScreen(browser, `${hub.url}/admin?token=${hub.tokens.admin}${query}`, {
      viewport: { width: 1440, height: 1000 },
    });
    await page.getByTestId('kpi-waiting').waitFor();
    // The demo hub runs without --central: the sync panel says so.
    const sync = page.getByTestId('sync-status');
    await sync.waitFor();
    expect(await sync.getAttribute('data-linked')).toBe('false');
    expect(await sync.textContent()).toContain(
      lang === 'ar' ? 'غير مرتبط بخادم مركزي' : 'Non reliée à un serveur central',
    );
    await check(page, `admin-dashboard-${lang}`);
    for (const [tab, ready] of [
      ['services', '[data-service] input'],
      ['counters', '[data-counter] input'],
      ['devices', 'tbody tr'],
      ['branch', '#br-name'],
    ] as const) {
      await page.locator(`#tab-${tab}`).click();
      await page.locator(ready).first().waitFor();
      await check(page, `admin-${tab}-${lang}`);
    }
    await page.context().close();
  }, 90_000);
});
