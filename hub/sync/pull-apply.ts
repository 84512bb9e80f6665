// Pulling what the upstream holds from other devices (docs/sync.md, "Pull"), page by page while
// `hasMore`, each page applied in ONE transaction together with its cursor: a crash between two
// pages resumes after the last applied one, and applying a page twice changes nothing.
import { PullAnswer } from '../../core/sync/protocol';
import { runCommand, type HubContext } from '../hub-context';
import { RECEIVED_HLC_KEY } from '../events/outbox';
import { applyConfig } from './config-apply';
import type { LinkStore } from './link-settings';
import { UpstreamRefused, type UpstreamHttp } from './sync-http';

/** Where pulled pages go: the hub's database now, an agent's later. */
export interface PullTarget {
  deviceId: string;
  cursor(): string;
  /** Applies one page and stores its cursor, atomically. `offsetMs`: upstream clock minus ours. */
  applyPage(page: PullAnswer, offsetMs: number): void;
  /** Forgets a cursor the upstream no longer recognises: the next pull starts over, harmlessly. */
  resetCursor(): void;
}

export interface PullOutcome {
  events: number;
  configVersion: number | null;
}

const PAGE_LIMIT = 500;
/** Pages in one run: a safety net against an upstream that always says hasMore. */
const MAX_PAGES = 1_000;

export async function pullAll(
  http: UpstreamHttp,
  target: PullTarget,
  now: () => number,
): Promise<PullOutcome> {
  const outcome: PullOutcome = { events: 0, configVersion: null };
  let cursorReset = false;
  for (let page = 0; page < MAX_PAGES; page++) {
    const query = new URLSearchParams({
      cursor: target.cursor(),
      deviceId: target.deviceId,
      limit: String(PAGE_LIMIT),
    });
    const sentAt = now();
    let answer: PullAnswer;
    try {
      answer = await http.request('GET', `/api/v1/sync/pull?${query.toString()}`, PullAnswer);
    } catch (error) {
      if (error instanceof UpstreamRefused && error.code === 'invalid_cursor' && !cursorReset) {
        cursorReset = true;
        target.resetCursor();
        continue;
      }
      throw error;
    }
    target.applyPage(answer, answer.receiverTime - (sentAt + now()) / 2);
    outcome.events += answer.events.length;
    if (answer.config) outcome.configVersion = answer.config.version;
    if (!answer.hasMore) break;
  }
  return outcome;
}

export interface HubPullOptions {
  ctx: HubContext;
  links: LinkStore;
  /** For a remote stamp clamped as too far ahead (a broken clock elsewhere): logged, not fatal. */
  onClampedStamp?(eventId: string, hlc: string): void;
}

/**
 * The hub as a puller. A changed configuration is applied whole (config-apply.ts). Other devices'
 * events move the hub's HLC forward so what it does next is ordered after them; the hub keeps no
 * copy of them yet (today the branch's only writer is the hub; kiosk agents push to the hub).
 */
export function hubPullTarget(options: HubPullOptions): PullTarget {
  const { ctx, links } = options;
  const saveReceived = ctx.db.prepare<[string, string]>(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );
  return {
    deviceId: ctx.outbox.deviceId,
    cursor: () => links.get()?.pullCursor ?? '',
    resetCursor: () => links.saveCursor(''),
    applyPage(page, offsetMs) {
      runCommand(ctx, () => {
        const link = links.get();
        if (page.config && page.config.version !== link?.configVersion) {
          applyConfig(ctx, page.config, ctx.outbox.deviceId);
          links.saveConfigVersion(page.config.version);
        }
        let stamp: string | null = null;
        for (const event of page.events) {
          const seen = ctx.outbox.observeRemote(event.hlc, ctx.clock.now());
          if (!seen) continue;
          if (seen.clamped) options.onClampedStamp?.(event.eventId, event.hlc);
          stamp = seen.stamp;
        }
        if (stamp) saveReceived.run(RECEIVED_HLC_KEY, stamp);
        links.saveCursor(page.cursor);
        links.saveClockOffset(offsetMs);
      });
    },
  };
}
