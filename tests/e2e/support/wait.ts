import type { Page } from 'playwright-core';

/** Resolves once no finite CSS animation is running (the display's flash), for stable shots. */
export async function animationsSettled(page: Page): Promise<void> {
  await page.waitForFunction(() =>
    document
      .getAnimations()
      .every((a) => a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity),
  );
}
