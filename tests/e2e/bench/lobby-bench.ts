// Lobby-screen benchmarks for `npm run bench` (bench/ belongs to the lead: bench/run.ts can import
// runLobbyBench; or run alone: `npx tsx tests/e2e/bench/lobby-bench.ts`).
//  - call-to-screen: from call-next's HTTP answer reaching the caller to the number in the
//    display's DOM (a MutationObserver timestamps it), p50/p99 over N calls;
//  - kiosk first contentful paint (already paired, as a kiosk is after its first boot);
//  - gzipped JavaScript per screen, from renderer/dist.
import { percentile } from '../../../bench/stats';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { hubPatch, hubPost } from '../support/api';
import { launchChromium, openScreen } from '../support/browser';
import { ensureRendererBuilt, repoRoot } from '../../../scripts/build-screens';
import { startDemoHub } from '../support/hub';

export interface LobbyBenchResult {
  callToScreenMs: { p50: number; p99: number; max: number; calls: number };
  kioskFcpMs: number;
  gzippedJsBytes: Record<string, number>;
}

declare global {
  interface Window {
    __benchSeen?: Record<string, number>;
  }
}

/** Sum of the gzipped JS each screen's HTML loads (entry + its static imports). */
export function gzippedJsPerScreen(): Record<string, number> {
  const dist = join(repoRoot, 'renderer', 'dist');
  const out: Record<string, number> = {};
  for (const screen of ['kiosk', 'display', 'counter', 'admin', 'ticket']) {
    const html = readFileSync(join(dist, `${screen}.html`), 'utf8');
    const files = new Set(
      [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map((m) => m[1] ?? ''),
    );
    out[screen] = [...files].reduce(
      (sum, file) => sum + gzipSync(readFileSync(join(dist, file))).length,
      0,
    );
  }
  return out;
}

export async function runLobbyBench(calls = 200): Promise<LobbyBenchResult> {
  await ensureRendererBuilt();
  const hub = await startDemoHub();
  const browser = await launchChromium();
  try {
    const { tokens } = hub;
    const counter = tokens.counters['counter-4'] ?? ''; // serves every service
    await hubPatch(hub.url, tokens.admin, '/branch', { capacity: null });
    const display = await openScreen(browser, `${hub.url}/display?token=${tokens.display}`, {
      viewport: { width: 1920, height: 1080 },
      recordSpeech: true,
    });
    await display.locator('.display__branch').waitFor();
    await display.evaluate(() => {
      window.__benchSeen = {};
      const seen = window.__benchSeen;
      new MutationObserver(() => {
        const n = document.querySelector('[data-testid="current-number"]')?.textContent;
        if (n && seen[n] === undefined) seen[n] = performance.timeOrigin + performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const services = ['etat-civil', 'passeports', 'titres-sejour', 'visas'];
    for (let i = 0; i < calls; i++) {
      await hubPost(hub.url, tokens.kiosk, '/tickets', { serviceId: services[i % 4], lang: 'fr' });
    }
    const deltas: number[] = [];
    for (let i = 0; i < calls; i++) {
      const answer = await hubPost<{ ticket: { id: string; number: string } }>(
        hub.url,
        counter,
        '/counters/counter-4/call-next',
      );
      const answeredAt = performance.timeOrigin + performance.now();
      const { number, id } = answer.ticket;
      const shownAt = await display.waitForFunction((n) => window.__benchSeen?.[n], number);
      deltas.push(Number(await shownAt.jsonValue()) - answeredAt);
      await hubPost(hub.url, counter, `/tickets/${id}/start`);
      await hubPost(hub.url, counter, `/tickets/${id}/finish`);
    }
    deltas.sort((a, b) => a - b);

    // FCP of an already-paired kiosk: pair once, then measure a fresh navigation.
    const kiosk = await openScreen(browser, `${hub.url}/kiosk?token=${tokens.kiosk}`);
    await kiosk.locator('.kiosk__service').first().waitFor();
    await kiosk.goto(`${hub.url}/kiosk`);
    await kiosk.locator('.kiosk__service').first().waitFor();
    const fcp = await kiosk.evaluate(
      () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN,
    );

    return {
      callToScreenMs: {
        p50: Math.round(percentile(deltas, 50) * 10) / 10,
        p99: Math.round(percentile(deltas, 99) * 10) / 10,
        max: Math.round((deltas.at(-1) ?? NaN) * 10) / 10,
        calls,
      },
      kioskFcpMs: Math.round(fcp),
      gzippedJsBytes: gzippedJsPerScreen(),
    };
  } finally {
    await browser.close();
    await hub.dispose();
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '\0')) {
  const calls = Number(process.env.BENCH_CALLS ?? 200);
  runLobbyBench(calls).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (e: unknown) => {
      console.error(e);
      process.exitCode = 1;
    },
  );
}
