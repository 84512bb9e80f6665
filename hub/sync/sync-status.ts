// What the admin sees of the central link: linked or not, reachable or not, when it last worked,
// how many events wait, the last error. Read from the database (so it is right after a restart)
// plus the live state the sync client reports; every change goes out once as a `sync.status` live
// message to every screen (admin shows it, the others a discreet badge).
import { ROLES, type SyncStatusDto, type SyncStatusEvent } from '../../core/api/schemas';
import type { HubContext } from '../hub-context';
import type { LiveBus } from '../features/live/live-bus';
import { hubEpoch, LinkStore } from './link-settings';

export type LinkState = SyncStatusDto['state'];

export class SyncStatusBoard {
  private readonly links: LinkStore;
  private liveState: LinkState | null = null;
  private lastPublished = '';

  constructor(
    private readonly ctx: HubContext,
    private readonly live: LiveBus,
  ) {
    this.links = new LinkStore(ctx.db);
  }

  /** The sync client's verdict after each attempt; publishes when the status changed. */
  report(state: LinkState): void {
    this.liveState = state;
    this.publishIfChanged();
  }

  status(): SyncStatusDto {
    const link = this.links.get();
    if (!link)
      return {
        linked: false,
        centralHost: null,
        state: 'never',
        lastSuccessAt: null,
        backlog: 0,
        lastError: null,
      };
    const { outbox, db } = this.ctx;
    const backlog = Math.max(
      0,
      outbox.lastOwnSeq() - this.links.ackedSeq(outbox.deviceId, hubEpoch(db)),
    );
    // Before the client's first verdict (just started), the stored outcome tells what we know.
    const state: LinkState =
      this.liveState ??
      (link.lastError !== null ? 'offline' : link.lastSuccessAt !== null ? 'online' : 'never');
    return {
      linked: true,
      centralHost: new URL(link.url).host,
      state,
      lastSuccessAt:
        link.lastSuccessAt === null ? null : new Date(link.lastSuccessAt).toISOString(),
      backlog,
      lastError: link.lastError,
    };
  }

  /** The status as the stream carries it. */
  message(): SyncStatusEvent {
    return {
      type: 'sync.status',
      at: new Date(this.ctx.clock.now()).toISOString(),
      ...this.status(),
    };
  }

  /** Sends `sync.status` if anything in the status differs from the last one sent. */
  publishIfChanged(): void {
    const text = JSON.stringify(this.status());
    if (text === this.lastPublished) return;
    this.lastPublished = text;
    this.live.publish(this.message(), { roles: ROLES });
  }
}
