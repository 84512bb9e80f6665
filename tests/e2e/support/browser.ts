// Debian's Chromium driven by playwright-core (never `playwright install`), one context per
// device so each screen has its own pairing cookie, like separate machines in the branch.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { repoRoot } from '../../../scripts/build-screens';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
}

export interface ScreenOptions {
  viewport?: { width: number; height: number };
  /** Replaces the display's speech engine (only the engine) by a recorder. */
  recordSpeech?: boolean;
}

export async function openScreen(
  browser: Browser,
  url: string,
  options: ScreenOptions = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 720 },
    locale: 'fr-FR',
    timezoneId: 'Europe/Paris',
  });
  if (options.recordSpeech) await context.addInitScript({ content: installSpeechRecorder });
  const page = await context.newPage();
  // Fail a wait well before the test's own timeout, so the failing step is the one reported.
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => console.error(`[page error] ${url}: ${e.message}`));
  await page.goto(url);
  return page;
}

export interface SpokenEntry {
  kind: 'chime' | 'speak';
  text?: string;
  lang?: string;
  start: number;
  end?: number;
}

declare global {
  interface Window {
    __guichetSpoken?: SpokenEntry[];
  }
}

/**
 * Runs in the page before its scripts: a recorder engine that takes real time to "speak", so the
 * real queue's ordering is exercised. A string, not a function: transpilers (tsx, Vitest) may add
 * helpers such as __name to a function's source, which do not exist in the page.
 */
const installSpeechRecorder = `
  (() => {
    const spoken = [];
    window.__guichetSpoken = spoken;
    const step = (entry, ms) => new Promise((resolve) => {
      spoken.push(entry);
      setTimeout(() => { entry.end = performance.now(); resolve(); }, ms);
    });
    window.__guichetSpeechEngine = {
      chime: () => step({ kind: 'chime', start: performance.now() }, 40),
      speak: (text, lang) => step({ kind: 'speak', text, lang, start: performance.now() }, 150),
    };
  })();
`;

export async function spokenSentences(page: Page): Promise<SpokenEntry[]> {
  return page.evaluate(() => window.__guichetSpoken ?? []);
}

/** axe-core's serious and critical findings (WCAG 2.x A/AA + best practice), as short lines. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}

export const screenshotDir = join(repoRoot, 'artifacts', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}
