// A day at the branch, end to end against a real hub: one kiosk, one display and two counters,
// each in its own browser context (its own pairing cookie). Tickets in several services and
// languages, calls, a recall to no-show, a transfer, finishes — the display shows every call
// while the real announcement queue speaks them in order through a recorder engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  openScreen,
  screenshot,
  spokenSentences,
  type SpokenEntry,
} from './support/browser';
import { hubGet, hubPatch, hubPost } from './support/api';
import { ensureRendererBuilt } from '../../scripts/build-screens';
import { startDemoHub, type RunningHub } from './support/hub';

let hub: RunningHub;
let browser: Browser;
let kiosk: Page;
let display: Page;
let counter1: Page;
let counter3: Page;

const LANGUAGE_BUTTON = { fr: 'Français', en: 'English', ar: 'العربية' } as const;
const say = {
  fr: (n: string, c: string) => `Le ticket ${n} est attendu au guichet ${c}`,
  en: (n: string, c: string) => `Ticket ${n}, please go to counter ${c}`,
  ar: (n: string, c: string) => `التذكرة ${n}، يرجى التوجه إلى الشباك ${c}`,
};

beforeAll(async () => {
  await ensureRendererBuilt();
  [hub, browser] = await Promise.all([startDemoHub(), launchChromium()]);
  const { tokens } = hub;
  [kiosk, display, counter1, counter3] = await Promise.all([
    openScreen(browser, `${hub.url}/kiosk?token=${tokens.kiosk}`, {
      viewport: { width: 1280, height: 1024 },
    }),
    openScreen(browser, `${hub.url}/display?token=${tokens.display}`, {
      viewport: { width: 1920, height: 1080 },
      recordSpeech: true,
    }),
    openScreen(browser, `${hub.url}/counter?token=${tokens.counters['counter-1']}`),
    openScreen(browser, `${hub.url}/counter?token=${tokens.counters['counter-3']}`),
  ]);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await hub?.dispose();
});

/** Issues a ticket at the kiosk like a visitor would, and returns its number. */
async function takeTicket(
  lang: keyof typeof LANGUAGE_BUTTON,
  serviceId: string,
  options: { priority?: boolean; keyboard?: boolean } = {},
): Promise<string> {
  await kiosk.getByRole('button', { name: LANGUAGE_BUTTON[lang], exact: true }).click();
  await kiosk.waitForFunction((l) => document.documentElement.lang === l, lang);
  if (options.priority) {
    const toggle = kiosk.locator('.kiosk__option[aria-pressed]').first();
    await toggle.focus();
    await kiosk.keyboard.press('Space');
    await kiosk.locator('.kiosk__option[aria-pressed="true"]').first().waitFor();
  }
  const service = kiosk.locator(`[data-service="${serviceId}"]`);
  if (options.keyboard) {
    await service.focus();
    await kiosk.keyboard.press('Enter');
  } else {
    await service.click();
  }
  const number = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
  // The result is announced to screen readers, and the QR code points at the follow-up page.
  await kiosk.getByRole('status').filter({ hasText: number }).waitFor({ state: 'attached' });
  expect(await kiosk.locator('.qr').getAttribute('aria-label')).toBeTruthy();
  await kiosk.locator('.ticket .button--primary').click();
  await kiosk.locator('.kiosk__service').first().waitFor();
  return number;
}

async function currentTicket(page: Page, number: string, status: 'called' | 'serving') {
  await page
    .locator(`[data-testid="current-ticket"][data-number="${number}"][data-status="${status}"]`)
    .waitFor();
}

async function noCurrentTicket(page: Page) {
  await page.getByTestId('current-ticket').waitFor({ state: 'detached' });
}

async function displayShows(number: string, counter: string) {
  await display
    .locator(`[data-testid="current-call"][data-number="${number}"][data-counter="${counter}"]`)
    .waitFor();
}

/** Calls next by keyboard shortcut and returns the called number. */
async function callNext(page: Page): Promise<string> {
  await page.keyboard.press('n');
  const current = page.getByTestId('current-ticket');
  await current.waitFor();
  await idle(page);
  return (await current.getAttribute('data-number')) ?? '';
}

async function idle(page: Page) {
  await page.locator('.counter[data-busy="false"]').waitFor();
}

async function serve(page: Page, number: string) {
  await page.keyboard.press('s');
  await currentTicket(page, number, 'serving');
  await idle(page);
  await page.keyboard.press('f');
  await noCurrentTicket(page);
}

/** Waits until the display's recorder has spoken `count` sentences, then returns them all. */
async function spoken(count: number): Promise<SpokenEntry[]> {
  await display.waitForFunction(
    (n) => (window.__guichetSpoken ?? []).filter((e) => e.kind === 'speak' && e.end).length >= n,
    count,
  );
  return spokenSentences(display);
}

describe('a day at the branch', () => {
  it('pairs every screen from the URL token, then forgets the token', async () => {
    for (const page of [kiosk, display, counter1, counter3]) {
      expect(new URL(page.url()).searchParams.has('token')).toBe(false);
    }
    await kiosk.locator('.kiosk__service').first().waitFor();
    await display.getByText('Mairie de Démo').waitFor();
    await counter1.getByRole('heading', { name: 'Guichet 1' }).waitFor();
    await counter3.getByRole('heading', { name: 'Guichet 3' }).waitFor();
    const cookies = await kiosk.context().cookies();
    expect(cookies.find((c) => c.name === 'guichet_token')?.httpOnly).toBe(true);
    expect(await kiosk.evaluate(() => JSON.stringify(localStorage))).toBe('{}');
  });

  it('runs a day: tickets, calls, recall to no-show, transfer, finishes, announced in order', async () => {
    // Morning: five visitors, three languages, one priority ticket (taken by keyboard only).
    const a1 = await takeTicket('fr', 'etat-civil');
    const b1 = await takeTicket('en', 'passeports');
    const c1 = await takeTicket('ar', 'titres-sejour');
    const a2 = await takeTicket('fr', 'etat-civil', { priority: true, keyboard: true });
    const d1 = await takeTicket('en', 'visas');
    expect([a1, b1, c1, a2, d1]).toEqual(['A001', 'B001', 'C001', 'A002', 'D001']);
    await display.locator('[data-testid="waiting-etat-civil"]', { hasText: '2' }).waitFor();
    await counter1.locator('[data-testid="waiting-etat-civil"]', { hasText: '2' }).waitFor();

    // Counter 1 calls: the priority visitor goes first, and the screen says why.
    expect(await callNext(counter1)).toBe('A002');
    expect(await counter1.getByTestId('call-reason').getAttribute('data-rule')).toBe('priority');
    await displayShows('A002', '1');

    // Counter 3 (residence permits + visas, equal weights): the older ticket wins.
    await counter3.getByTestId('action-callNext').click();
    await currentTicket(counter3, 'C001', 'called');
    expect(await counter3.getByTestId('call-reason').getAttribute('data-rule')).toBe('weighted');
    await displayShows('C001', '3');

    // A002 does not come: three recalls, and the fourth makes it a no-show.
    for (const n of [1, 2, 3]) {
      await counter1.keyboard.press('r');
      await counter1
        .getByTestId('recalls')
        .filter({ hasText: `${n}/3` })
        .waitFor();
      // The stream may show the recall before the hub answered us: wait for the answer too.
      await counter1.locator('.counter[data-busy="false"]').waitFor();
    }
    await counter1.keyboard.press('r');
    await noCurrentTicket(counter1);
    // The third recall's message also names A002: wait for the one that says it is a no-show.
    await counter1
      .getByTestId('counter-message')
      .filter({ hasText: 'A002' })
      .filter({ hasText: 'absent' })
      .waitFor();
    expect(await counter1.getByTestId('counter-message').textContent()).toContain('absent');

    await serve(counter3, 'C001');

    // A001 needs a visa first: transferred with a note, keeping its number and place.
    expect(await callNext(counter1)).toBe('A001');
    await displayShows('A001', '1');
    await counter1.keyboard.press('s');
    await currentTicket(counter1, 'A001', 'serving');
    await idle(counter1);
    await counter1.keyboard.press('t');
    await counter1.locator('dialog[open]').waitFor();
    await counter1.locator('#transfer-service').selectOption('visas');
    await counter1.locator('#transfer-note').fill('Visa à vérifier avant l’acte');
    await counter1.getByRole('dialog').getByRole('button', { name: 'Transférer' }).click();
    await noCurrentTicket(counter1);

    // At counter 3 the transferred A001 (older) passes before D001.
    expect(await callNext(counter3)).toBe('A001');
    await counter3.locator('.badge', { hasText: 'Transféré' }).waitFor();
    await displayShows('A001', '3');
    await serve(counter3, 'A001');

    expect(await callNext(counter1)).toBe('B001');
    await displayShows('B001', '1');
    await serve(counter1, 'B001');

    expect(await callNext(counter3)).toBe('D001');
    await displayShows('D001', '3');
    await serve(counter3, 'D001');

    // The display's history lists the earlier calls, newest first.
    const history = await display
      .locator('[data-testid="history"] li')
      .evaluateAll((items) => items.map((li) => li.getAttribute('data-number')));
    // A002's recalls came after C001's call, so it sits above it.
    expect(history).toEqual(['B001', 'A001', 'A002', 'C001']);

    // Every call spoken once, in call order, chime first, ticket language then the branch's;
    // each recall spoken again; the no-show is not announced.
    const expected = [
      ['fr', say.fr('A 2', '1')],
      ['ar', say.ar('C 1', '3')],
      ['fr', say.fr('C 1', '3')],
      ['fr', say.fr('A 2', '1')],
      ['fr', say.fr('A 2', '1')],
      ['fr', say.fr('A 2', '1')],
      ['fr', say.fr('A 1', '1')],
      ['fr', say.fr('A 1', '3')],
      ['en', say.en('B 1', '1')],
      ['fr', say.fr('B 1', '1')],
      ['en', say.en('D 1', '3')],
      ['fr', say.fr('D 1', '3')],
    ];
    const log = await spoken(expected.length);
    const sentences = log.filter((e) => e.kind === 'speak').map((e) => [e.lang, e.text]);
    expect(sentences).toEqual(expected);
    expect(log.filter((e) => e.kind === 'chime')).toHaveLength(9); // one per call or recall
    // Never two at once: each step starts after the previous one ended.
    for (let i = 1; i < log.length; i++) {
      expect(log[i]!.start).toBeGreaterThanOrEqual(log[i - 1]!.end ?? Infinity);
    }
    await screenshot(display, 'day-display-end');
  }, 240_000);

  it('survives a hub restart: reconnecting badge, resync, no replayed announcement', async () => {
    const before = (await spokenSentences(display)).length;
    await hub.stop();
    await display
      .locator('[data-connection="reconnecting"], [data-connection="offline"]')
      .waitFor();
    await screenshot(display, 'day-display-reconnecting');
    await hub.restart();
    await display.locator('[data-connection="connected"]').waitFor({ state: 'attached' });
    await counter1.locator('[data-connection="connected"]').waitFor({ state: 'attached' });
    await displayShows('D001', '3'); // the last state is kept across the outage

    // Life goes on after the restart, and only the new call is announced.
    const b2 = await takeTicket('fr', 'passeports');
    expect(await callNext(counter1)).toBe(b2);
    await displayShows(b2, '1');
    const log = await spoken(13);
    expect(log.slice(before).map((e) => e.text ?? e.kind)).toEqual(['chime', say.fr('B 2', '1')]); // nothing replayed
    expect(log.at(-1)?.text).toBe(say.fr('B 2', '1'));
  }, 120_000);

  it('shows a closed service and a full building instead of issuing', async () => {
    const admin = hub.tokens.admin;
    await hubPatch(hub.url, admin, '/services/visas', { open: false });
    const visas = kiosk.locator('[data-service="visas"][aria-disabled="true"]');
    await visas.waitFor(); // config.changed reached the kiosk through the stream
    // Still focusable and pressable (by keyboard here): it explains itself instead of issuing.
    await visas.focus();
    await kiosk.keyboard.press('Enter');
    await kiosk.locator('[data-problem="service_closed"]').waitFor();
    await screenshot(kiosk, 'day-kiosk-service-closed');
    await kiosk.getByRole('button', { name: 'Retour' }).click();
    await hubPatch(hub.url, admin, '/services/visas', { open: true });

    // Capacity down to what is in the building now: the next visitor is told, kindly.
    const branch = await hubGet<{ occupancy: number }>(hub.url, admin, '/branch');
    await hubPatch(hub.url, admin, '/branch', { capacity: Math.max(1, branch.occupancy) });
    if (branch.occupancy === 0) await takeTicket('fr', 'passeports');
    await kiosk.locator('.kiosk__banner').waitFor();
    await kiosk.locator('[data-service="etat-civil"]').click();
    await kiosk.locator('[data-problem="branch_full"]').waitFor();
    await screenshot(kiosk, 'day-kiosk-branch-full');
    await kiosk.getByRole('button', { name: 'Retour' }).click();
    await hubPatch(hub.url, admin, '/branch', { capacity: 200 });
    await kiosk.locator('.kiosk__banner').waitFor({ state: 'detached' });
  }, 60_000);

  it('forgets the visitor after the inactivity timeout', async () => {
    await kiosk.clock.install();
    await kiosk.getByRole('button', { name: 'العربية', exact: true }).click();
    await kiosk.locator('.kiosk__option[aria-pressed]').last().click(); // high contrast
    await kiosk.locator('.kiosk--contrast').waitFor();
    await kiosk.locator('[data-service="etat-civil"]').click();
    await kiosk.getByTestId('ticket-number').waitFor();

    await kiosk.clock.runFor(31_000); // the demo branch's 30 s, and a bit
    await kiosk.locator('main[data-view="home"]').waitFor();
    expect(await kiosk.getByTestId('ticket-number').count()).toBe(0);
    expect(await kiosk.locator('.kiosk--contrast').count()).toBe(0);
    expect(await kiosk.evaluate(() => document.documentElement.lang)).toBe('fr');
  }, 60_000);

  it('pairs a new display with a code from the admin screen, and unpairs it on revoke', async () => {
    const admin = await openScreen(browser, `${hub.url}/admin?token=${hub.tokens.admin}#devices`, {
      viewport: { width: 1440, height: 1000 },
    });
    await admin.locator('#dev-name').fill('TV entrée');
    await admin.locator('#dev-role').selectOption('display');
    await admin.getByRole('button', { name: 'Créer un appareil' }).click();
    const code = (await admin.getByTestId('pairing-code').textContent()) ?? '';
    expect(code).toMatch(/^\S{8}$/);
    await screenshot(admin, 'day-admin-device-created');

    const tv = await openScreen(browser, `${hub.url}/display`);
    await tv.getByLabel('Code d’association ou jeton').fill(code);
    await tv.getByRole('button', { name: 'Associer' }).click();
    await tv.locator('.display__branch').waitFor();
    expect((await tv.context().cookies()).some((c) => c.name === 'guichet_token')).toBe(true);

    // Revoked: the hub closes its stream (4401), the screen checks GET /me and asks to pair again.
    const row = admin.locator('tr', { hasText: 'TV entrée' });
    admin.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: /Révoquer/ }).click();
    await row.getByText('Révoqué').waitFor();
    await tv.getByRole('button', { name: 'Associer' }).waitFor();
    await admin.context().close();
    await tv.context().close();
  }, 60_000);

  it('checks an appointment in by its code, and shows the same ticket if checked in twice', async () => {
    const { code } = await hubPost<{ code: string }>(hub.url, hub.tokens.admin, '/appointments', {
      serviceId: 'passeports',
      at: new Date().toISOString(),
      lang: 'en',
    });
    const checkIn = async () => {
      await kiosk.getByRole('button', { name: 'J’ai un rendez-vous' }).click();
      await kiosk.locator('#appointment-code').fill(code);
      await kiosk.getByRole('button', { name: 'Valider' }).click();
      const number = (await kiosk.getByTestId('ticket-number').textContent()) ?? '';
      await kiosk.locator('.ticket .button--primary').click();
      await kiosk.locator('main[data-view="home"]').waitFor();
      return number;
    };
    const first = await checkIn();
    expect(first).toMatch(/^B\d{3}$/);
    expect(await checkIn()).toBe(first);

    // A code that is not one: said plainly, the visitor stays to correct it.
    await kiosk.getByRole('button', { name: 'J’ai un rendez-vous' }).click();
    await kiosk.locator('#appointment-code').fill('RDV-2041');
    await kiosk.keyboard.press('Enter');
    await kiosk.locator('#appointment-error', { hasText: 'introuvable' }).waitFor();
    await kiosk.getByRole('button', { name: 'Retour' }).click();
  }, 60_000);
});
