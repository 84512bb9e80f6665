// The kiosk screen as a visitor uses it, whoever serves it (the hub, or a kiosk agent): opened
// paired on a portrait screen, back home for the next visitor, its language chosen.
import type { Browser, Page } from 'playwright-core';
import { openScreen } from './browser';

/** The kiosk's portrait touch screen. */
export const KIOSK_VIEWPORT = { width: 1080, height: 1920 };

/** The kiosk screen at `baseUrl`, paired with the kiosk `token`, once its services show. */
export async function openKiosk(browser: Browser, baseUrl: string, token: string): Promise<Page> {
  const kiosk = await openScreen(browser, `${baseUrl}/kiosk?token=${token}`, {
    viewport: KIOSK_VIEWPORT,
  });
  await kiosk.locator('.kiosk__service').first().waitFor();
  return kiosk;
}

/** Back to the kiosk's home (a new visitor's session) from a ticket, a scan or a problem. */
export async function kioskHome(page: Page): Promise<void> {
  const done = page.locator(
    '.ticket .button--primary, .scan-status .button--primary, .problem .button--primary',
  );
  if (await done.count()) await done.first().click();
  await page.locator('.kiosk__service').first().waitFor();
}

export async function chooseLanguage(page: Page, lang: 'fr' | 'ar'): Promise<void> {
  await page
    .getByRole('button', { name: lang === 'ar' ? 'العربية' : 'Français', exact: true })
    .click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}
