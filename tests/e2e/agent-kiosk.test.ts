// The kiosk screen served by a kiosk agent, end to end in Debian's Chromium: a hub and an agent
// run as child processes exactly as an operator starts them (`guichet hub`, `guichet agent
// --printer`), the agent prints on the in-process ESC/POS emulator. With the hub up the kiosk
// issues a ticket (the hub's number, printed by the agent); the hub is stopped: the kiosk shows its
// discreet badge (worded for the link to the branch server, not the central one), refuses an
// appointment check-in, typed or scanned, and a scanned ticket in its own words (French, Arabic),
// still issues a walk-in ticket from the agent's numbers, printed; the hub comes back: that ticket
// is in its queue and the badge goes. Waits are on conditions with deadlines, never sleeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { CreatedAppointmentDto, QueueDto } from '../../core/api/schemas';
import { PrinterEmulator } from '../../hardware/index';
import type { DecodedTicket } from '../../hardware/sim/escpos-device';
import type { Locale } from '../../renderer/i18n/locale-type';
import { ar } from '../../renderer/i18n/locales/ar';
import { fr } from '../../renderer/i18n/locales/fr';
import { ensureRendererBuilt } from '../../scripts/build-screens';
import { hubGet, hubPost } from './support/api';
import { launchChromium, screenshot } from './support/browser';
import { freePort, startListening, stopProcess } from './support/cli';
import { startDemoHub, type RunningHub } from './support/hub';
import { chooseLanguage, kioskHome, openKiosk } from './support/kiosk';

interface RunningAgentProcess {
  url: string;
  stop(): Promise<void>;
}

let hub: RunningHub;
let agent: RunningAgentProcess;
let agentDir: string;
let browser: Browser;
let emulator: PrinterEmulator;
let kiosk: Page;

/** `guichet agent` as a kiosk PC runs it (the token in the environment, not the process list). */
async function startAgentProcess(): Promise<RunningAgentProcess> {
  const port = await freePort();
  const { child, url } = await startListening(
    [
      'agent',
      '--data',
      agentDir,
      '--hub',
      hub.url,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--printer',
      emulator.url,
      '--paper-width',
      '80',
      '--log-level',
      'warn',
    ],
    { GUICHET_AGENT_TOKEN: hub.tokens.kiosk },
  );
  return { url, stop: () => stopProcess(child) };
}

/** Polls `probe` (another process's state) until it holds, at most `timeoutMs`. */
async function until<T>(
  what: string,
  probe: () => Promise<T | null>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100)); // a poll interval, not a guess
  }
}

const onPaper = (number: string) => (t: DecodedTicket) => t.lines.some((l) => l.includes(number));
const waitingNumbers = async (): Promise<string[]> =>
  (await hubGet<QueueDto>(hub.url, hub.tokens.display, '/queue')).waiting.map((t) => t.number);

/** Taps a service and returns the number shown once the agent's printer printed it. */
async function takeTicket(page: Page, serviceId: string): Promise<string> {
  await page.locator(`[data-service="${serviceId}"]`).click();
  await page.locator('.ticket[data-print="printed"]').waitFor();
  return (await page.getByTestId('ticket-number').textContent()) ?? '';
}

/** Types an appointment code on the appointment screen (`texts`: its language) and submits. */
async function checkInTyped(page: Page, code: string, texts: Locale): Promise<void> {
  await page.locator('.kiosk__option', { hasText: texts.kiosk.appointment }).click();
  await page.locator('#appointment-code').fill(code);
  await page.locator('.appointment__form button[type="submit"]').click();
}

/** A keyboard-wedge scanner reading `text` on the home screen: the scan problem shown. */
async function scannedProblem(page: Page, text: string, problem: string): Promise<string> {
  await page.keyboard.type(text, { delay: 4 });
  await page.keyboard.press('Enter');
  await page.locator(`.problem[data-problem="${problem}"]`).waitFor();
  return (await page.getByTestId('scan-problem').textContent()) ?? '';
}

beforeAll(async () => {
  await ensureRendererBuilt();
  agentDir = mkdtempSync(join(tmpdir(), 'guichet-e2e-agent-'));
  [hub, browser, emulator] = await Promise.all([
    startDemoHub(),
    launchChromium(),
    PrinterEmulator.start({ port: 0 }),
  ]);
  agent = await startAgentProcess();
  // Its first round reached the hub: services known, number blocks granted.
  await until('the agent online', async () => {
    const health = (await (await fetch(`${agent.url}/api/v1/health`)).json()) as { hub: string };
    return health.hub === 'online' ? true : null;
  });
  kiosk = await openKiosk(browser, agent.url, hub.tokens.kiosk);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await agent?.stop();
  await hub?.dispose();
  await emulator?.close();
  if (agentDir) rmSync(agentDir, { recursive: true, force: true });
});

describe('the kiosk screen served by a kiosk agent', () => {
  let appointmentCode = '';
  /** The follow-up URL (the printed QR code) of the ticket the hub numbered. */
  let followUpUrl = '';

  it('with the hub up: a ticket numbered by the hub, printed by the agent', async () => {
    const number = await takeTicket(kiosk, 'etat-civil');
    const paper = await emulator.waitForTicket(onPaper(number), 10_000);
    expect(paper.complete).toBe(true);
    expect(await waitingNumbers()).toContain(number);
    const queue = await hubGet<QueueDto>(hub.url, hub.tokens.display, '/queue');
    const id = queue.waiting.find((t) => t.number === number)?.id;
    expect(id).toBeDefined();
    followUpUrl = `${hub.url}/t/${id}`;
    // No badge while the hub answers.
    expect(await kiosk.locator('.connection-badge').count()).toBe(0);
    await screenshot(kiosk, 'agent-kiosk-online-fr');
    await kioskHome(kiosk);
    appointmentCode = (
      await hubPost<CreatedAppointmentDto>(hub.url, hub.tokens.admin, '/appointments', {
        serviceId: 'passeports',
        at: new Date().toISOString(),
        lang: 'fr',
      })
    ).code;
  }, 60_000);

  it('with the hub stopped: a discreet badge, no check-in, and still a printed ticket', async () => {
    await hub.stop();
    const badge = kiosk.locator('.connection-badge--central[data-central="offline"]');
    await badge.waitFor();
    // The screen did not go to "reconnecting": the agent is there, only the hub is not.
    expect(
      await kiosk.locator('[data-connection="reconnecting"], [data-connection="offline"]').count(),
    ).toBe(0);
    // The agent's link to the hub, worded so: not "central server unreachable".
    expect(await badge.getAttribute('data-link')).toBe('hub');
    expect(await badge.textContent()).toBe(fr.connection.hubUnreachable);

    // An appointment needs the hub: the kiosk says so in its own words (not the agent's English
    // sentence), and the way back leads to a walk-in ticket.
    const error = kiosk.locator('#appointment-error');
    await checkInTyped(kiosk, appointmentCode, fr);
    await error.filter({ hasText: fr.kiosk.appointmentOffline }).waitFor();
    expect(await error.textContent()).toBe(fr.kiosk.appointmentOffline);
    await screenshot(kiosk, 'agent-kiosk-offline-check-in-fr');
    await kiosk.locator('.appointment__actions .button').first().click();

    // The same code scanned: the same words, not "unreadable"; a scanned ticket QR: keep it.
    expect(await scannedProblem(kiosk, appointmentCode, 'check_in_offline')).toBe(
      fr.kiosk.appointmentOffline,
    );
    await screenshot(kiosk, 'agent-kiosk-offline-scan-fr');
    await kioskHome(kiosk);
    expect(await scannedProblem(kiosk, followUpUrl, 'lookup_offline')).toBe(
      fr.kiosk.scan.ticketOffline,
    );
    await kioskHome(kiosk);

    // In Arabic too, right to left: the badge and the refusal.
    await chooseLanguage(kiosk, 'ar');
    expect(await badge.textContent()).toBe(ar.connection.hubUnreachable);
    await checkInTyped(kiosk, appointmentCode, ar);
    await error.filter({ hasText: ar.kiosk.appointmentOffline }).waitFor();
    expect(await error.textContent()).toBe(ar.kiosk.appointmentOffline);
    await screenshot(kiosk, 'agent-kiosk-offline-check-in-ar');
    await kiosk.locator('.appointment__actions .button').first().click();
    await chooseLanguage(kiosk, 'fr');

    const number = await takeTicket(kiosk, 'etat-civil');
    const paper = await emulator.waitForTicket(onPaper(number), 10_000);
    expect(paper.complete).toBe(true);
    await badge.waitFor();
    await screenshot(kiosk, 'agent-kiosk-offline-ticket-fr');
    await kioskHome(kiosk);

    // The hub comes back: the agent hands the ticket over, and the badge goes.
    await hub.restart();
    await until('the offline ticket in the hub’s queue', async () =>
      (await waitingNumbers()).includes(number) ? true : null,
    );
    await badge.waitFor({ state: 'detached' });
    expect(emulator.tickets.filter((t) => t.complete && onPaper(number)(t))).toHaveLength(1);
  }, 120_000);
});
