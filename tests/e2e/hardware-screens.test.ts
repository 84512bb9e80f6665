// The screens with the lobby hardware, end to end against a real hub: a kiosk printing on the
// in-process ESC/POS emulator ("take your ticket below"), the on-screen fallback with a dead
// printer, a keyboard-wedge scan of an appointment code, the counter's reprint, the visitor's
// follow-up page, and the admin's printers and appointments tabs — axe-checked and screenshot
// in French and Arabic. Waits are on conditions, never sleeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type {
  AppointmentDto,
  CreatedAppointmentDto,
  IssuedTicketDto,
  MeDto,
} from '../../core/api/schemas';
import { PrinterEmulator } from '../../hardware/index';
import { ensureRendererBuilt } from '../../scripts/build-screens';
import { hubGet, hubPost, hubPut } from './support/api';
import { launchChromium, openScreen, screenshot, seriousViolations } from './support/browser';
import { freePort } from './support/cli';
import { startDemoHub, type RunningHub } from './support/hub';
import { chooseLanguage, kioskHome, openKiosk } from './support/kiosk';
import { animationsSettled } from './support/wait';

let hub: RunningHub;
let browser: Browser;
let emulator: PrinterEmulator;
let kioskId: string;
let kiosk: Page;

const PHONE = { width: 390, height: 844 };

/** A loopback port nobody listens on: a printer that is unplugged. */
const closedPort = freePort;

const setKioskPrinter = (url: string | null) =>
  hubPut(hub.url, hub.tokens.admin, `/devices/${kioskId}/printer`, {
    printer: url ? { url, paperWidthMm: 80 } : null,
  });

async function check(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  expect(await seriousViolations(page), name).toEqual([]);
}

beforeAll(async () => {
  await ensureRendererBuilt();
  [hub, browser, emulator] = await Promise.all([
    startDemoHub(),
    launchChromium(),
    PrinterEmulator.start({ port: 0 }),
  ]);
  kioskId = (await hubGet<MeDto>(hub.url, hub.tokens.kiosk, '/me')).deviceId;
  await setKioskPrinter(emulator.url);
  kiosk = await openKiosk(browser, hub.url, hub.tokens.kiosk);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
  await emulator?.close();
});

describe('kiosk printing', () => {
  let printedNumber = '';
  let printedId = '';

  it('says "printing", then "take your ticket below" once the emulator printed it', async () => {
    await kiosk.locator('[data-service="etat-civil"]').click();
    const ticket = kiosk.locator('.ticket');
    await ticket.waitFor();
    printedNumber = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
    await kiosk.locator('.ticket[data-print="printed"]').waitFor();
    expect(await kiosk.locator('.ticket__take').textContent()).toContain('Prenez votre ticket');
    const paper = await emulator.waitForTicket(
      (t) => t.lines.some((l) => l.includes(printedNumber)),
      10_000,
    );
    expect(paper.complete).toBe(true);
    // The QR code on screen is the one on paper: the hub's followUpUrl.
    printedId = paper.qrCodes[0]?.split('/t/')[1] ?? '';
    expect(printedId).not.toBe('');
    await screenshot(kiosk, 'kiosk-printed-fr');
    await kioskHome(kiosk);
  }, 60_000);

  it('counter: Reprint (shortcut I) prints the current ticket again and shows the result', async () => {
    const token = hub.tokens.counters['counter-1'] ?? '';
    await hubPost(hub.url, token, '/counters/counter-1/call', { ticketId: printedId });
    const counter = await openScreen(browser, `${hub.url}/counter?token=${token}`);
    await counter
      .locator(`[data-testid="current-ticket"][data-number="${printedNumber}"]`)
      .waitFor();
    const total = emulator.tickets.length;
    const before = emulator.tickets.filter((t) => t.lines.some((l) => l.includes(printedNumber)));
    await counter.keyboard.press('i');
    await counter.locator('[data-testid="reprint-status"][data-state="printed"]').waitFor();
    expect(await counter.getByTestId('reprint-status').textContent()).toContain(printedNumber);
    await emulator.waitForTicketCount(total + 1, 10_000);
    const after = emulator.tickets.filter((t) => t.lines.some((l) => l.includes(printedNumber)));
    expect(after.length).toBe(before.length + 1);
    await screenshot(counter, 'counter-reprint-fr');
    await hubPost(hub.url, token, `/tickets/${printedId}/start`);
    await hubPost(hub.url, token, `/tickets/${printedId}/finish`);
    await counter.context().close();
  }, 60_000);

  it('admin: Reprint prints a lost ticket again on the kiosk that issued it', async () => {
    const issued = await hubPost<IssuedTicketDto>(hub.url, hub.tokens.kiosk, '/tickets', {
      serviceId: 'visas',
    });
    await emulator.waitForTicket((t) => t.lines.some((l) => l.includes(issued.number)), 10_000);
    const copies = () =>
      emulator.tickets.filter((t) => t.lines.some((l) => l.includes(issued.number))).length;
    const before = copies();
    const admin = await openScreen(browser, `${hub.url}/admin?token=${hub.tokens.admin}`, {
      viewport: { width: 1440, height: 1000 },
    });
    await admin.locator('#tab-printers').click();
    const form = admin.getByTestId('reprint-form');
    await form.locator(`select option[value="${issued.id}"]`).waitFor({ state: 'attached' });
    await form.locator('select').selectOption(issued.id);
    const total = emulator.tickets.length;
    await form.getByRole('button').click();
    await form.locator('[role="status"]:has-text("Ticket réimprimé")').waitFor({ timeout: 15_000 });
    await emulator.waitForTicketCount(total + 1, 10_000);
    expect(copies()).toBe(before + 1);
    await hubPost(hub.url, hub.tokens.admin, `/tickets/${issued.id}/cancel`);
    await admin.context().close();
  }, 60_000);

  it('a wedge scan of an appointment code checks in; garbage gets a clear message', async () => {
    const at = new Date(Date.now() + 10 * 60_000).toISOString();
    const created = await hubPost<CreatedAppointmentDto>(
      hub.url,
      hub.tokens.admin,
      '/appointments',
      {
        serviceId: 'passeports',
        at,
        lang: 'fr',
      },
    );
    // A scanner "types" fast and ends with Enter: the home screen has no field to type into.
    await kiosk.keyboard.type(created.code, { delay: 4 });
    await kiosk.keyboard.press('Enter');
    await kiosk.locator('.ticket[data-print="printed"]').waitFor();
    const number = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
    expect(number).toMatch(/^B\d+/);
    const today = await hubGet<AppointmentDto[]>(hub.url, hub.tokens.admin, '/appointments');
    expect(today.find((a) => a.id === created.appointment.id)?.status).toBe('checked_in');
    await kioskHome(kiosk);

    // The same code again, on the check-in screen: the visitor sees where that ticket stands.
    await kiosk.locator('.kiosk__option').nth(1).click();
    await kiosk.locator('#appointment-code').waitFor();
    await kiosk.keyboard.type(created.code, { delay: 4 });
    await kiosk.keyboard.press('Enter');
    await kiosk.locator(`.scan-status[data-ticket="${number}"]`).waitFor();
    await kioskHome(kiosk);

    // Garbage from a scanner: refused with a sentence, and the kiosk keeps working.
    await kiosk.keyboard.type('hello*world%%', { delay: 4 });
    await kiosk.keyboard.press('Enter');
    await kiosk.getByTestId('scan-problem').waitFor();
    expect(await kiosk.locator('.problem').getAttribute('data-problem')).toBe('unreadable');
    await kiosk.locator('.problem .button--primary').click();
    await kiosk.locator('.kiosk__service').first().waitFor();
  }, 60_000);

  it.each(['fr', 'ar'] as const)(
    'with a dead printer (%s): the ticket is on screen, calmly, and home says so discreetly',
    async (lang) => {
      await setKioskPrinter(`tcp://127.0.0.1:${await closedPort()}`);
      await kiosk.reload();
      await kiosk.locator('.kiosk__service').first().waitFor();
      if (lang === 'ar') await chooseLanguage(kiosk, 'ar');
      await kiosk.locator('[data-service="visas"]').click();
      await kiosk.locator('.ticket--on-screen').waitFor({ timeout: 20_000 });
      expect(['unavailable', 'failed', 'slow']).toContain(
        await kiosk.locator('.ticket').getAttribute('data-print'),
      );
      expect(await kiosk.getByTestId('print-state').textContent()).not.toBe('');
      await kiosk.locator('.qr').waitFor();
      await check(kiosk, `kiosk-print-failed-${lang}`);
      await kioskHome(kiosk);
      await kiosk.locator('[data-testid="printer-notice"]:not(:empty)').waitFor();
      if (lang === 'fr') await screenshot(kiosk, 'kiosk-printer-notice-fr');
    },
    60_000,
  );
});

describe('visitor follow-up page', () => {
  it('404 says the ticket is not found', async () => {
    const page = await openScreen(browser, `${hub.url}/t/no-such-ticket`, { viewport: PHONE });
    await page.getByRole('heading', { name: 'Ticket introuvable' }).waitFor();
    await page.context().close();
  }, 30_000);

  it.each(['fr', 'ar'] as const)(
    'shows "waiting", then the counter once called (%s)',
    async (lang) => {
      const issued = await hubPost<IssuedTicketDto>(hub.url, hub.tokens.kiosk, '/tickets', {
        serviceId: 'titres-sejour',
        lang,
      });
      expect(issued.followUpUrl).toBe(`${hub.url}/t/${issued.id}`);
      // No token, no pairing: a phone in a fresh browser context.
      const page = await openScreen(browser, issued.followUpUrl ?? '', { viewport: PHONE });
      await page.locator('.follow__card[data-status="waiting"]').waitFor();
      expect(await page.evaluate(() => document.documentElement.dir)).toBe(
        lang === 'ar' ? 'rtl' : 'ltr',
      );
      expect(await page.getByTestId('number').textContent()).toBe(issued.number);
      await check(page, `follow-up-waiting-${lang}`);

      const token = hub.tokens.counters['counter-2'] ?? '';
      await hubPost(hub.url, token, '/counters/counter-2/call', { ticketId: issued.id });
      // The page polls every 15 s and when shown again; the visitor may also tap "Refresh".
      await page.locator('.follow__refresh').click();
      await page.locator('.follow__card[data-status="called"]').waitFor();
      const headline = (await page.getByTestId('headline').textContent()) ?? '';
      expect(headline).toMatch(/2/);
      await animationsSettled(page);
      await check(page, `follow-up-called-${lang}`);
      // The language switch works without reloading.
      await page.getByRole('button', { name: 'English' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      expect(await page.getByTestId('headline').textContent()).toBe('Please go to counter 2');
      await hubPost(hub.url, token, `/tickets/${issued.id}/no-show`);
      await page.context().close();
    },
    60_000,
  );
});

describe.each(['fr', 'ar'] as const)('admin hardware tabs (%s)', (lang) => {
  it('printers (test print, URL validation, scanner) and appointments (create, QR, list)', async () => {
    await setKioskPrinter(emulator.url);
    const page = await openScreen(
      browser,
      `${hub.url}/admin?token=${hub.tokens.admin}${lang === 'ar' ? '&lang=ar' : ''}`,
      { viewport: { width: 1440, height: 1000 } },
    );
    await page.locator('#tab-printers').click();
    await page
      .locator('[data-testid="printers"] [data-state="ready"]')
      .waitFor({ timeout: 20_000 });
    await page.getByTestId('scanner').waitFor();
    await page.locator('[data-testid="printers"] tbody tr').first().getByRole('button').click();
    await page.locator('[data-testid="test-print-status"]:not(:empty)').waitFor();
    await emulator.waitForTicket((t) => t.lines.some((l) => l.includes('TEST')), 10_000);
    // A malformed URL is refused before it reaches the hub, with the reason.
    const form = page.locator(`form[data-kiosk="${kioskId}"]`);
    await form.locator('input').fill('tcp://192.168.1.50');
    await form.locator('button[type="submit"]').click();
    await form.locator('.error:not(:empty)').first().waitFor();
    await check(page, `admin-printers-${lang}`);
    await form.locator('input').fill(emulator.url);

    await page.locator('#tab-appointments').click();
    await page.locator('#apt-service').waitFor();
    await page.locator('#apt-service').selectOption('etat-civil');
    await page
      .getByRole('button', { name: lang === 'ar' ? 'إنشاء الموعد' : 'Créer le rendez-vous' })
      .click();
    const code = (await page.getByTestId('appointment-code').textContent()) ?? '';
    expect(code).toMatch(/^GA1-/);
    await page.locator('.appointment-slip__qr').waitFor();
    expect(
      await page
        .locator('.appointment-slip__qr')
        .evaluate((img) => (img as HTMLImageElement).naturalWidth),
    ).toBeGreaterThan(0);
    await page.locator(`[data-testid="appointments"] code:text("${code}")`).waitFor();
    await check(page, `admin-appointments-${lang}`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, `admin-appointment-print-${lang}`);
    await page.context().close();
  }, 90_000);
});
