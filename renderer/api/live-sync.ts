// Keeps a screen's picture of the hub exact across reconnects. Each (re)connection starts with
// `stream.hello {seq}`; when that differs from what we hold, we fetch a fresh snapshot (which
// carries the seq it includes) and then apply only events newer than it. Events seen before, or
// covered by a snapshot, are dropped — so a display never replays an old announcement.
import type { LiveStreamMessage, SyncStatusEvent } from '../../core/api/schemas';
import type { HubEvent, StreamHandlers } from './stream';

export interface LiveSyncHandlers<S extends { seq: number }> {
  fetchSnapshot(): Promise<S>;
  /** A new full picture; never announce anything from it. */
  onSnapshot(snapshot: S): void;
  /** A live event, newer than anything applied so far, in seq order. */
  onEvent(event: HubEvent): void;
  /** The snapshot could not be fetched: the caller should reconnect (and so retry). */
  onResyncFailed?(error: unknown): void;
  /** See StreamHandlers.onRejected. */
  onRejected?(): void;
  /** Each (re)connection's hello, with the branch's business day when the hub sends it. */
  onGreeting?(businessDay: string | undefined): void;
  /** See StreamHandlers.onLive: passed straight through, outside the seq ordering. */
  onLive?(message: LiveStreamMessage): void;
  /** See StreamHandlers.onSyncStatus: passed straight through, outside the seq ordering. */
  onSyncStatus?(status: SyncStatusEvent): void;
}

export class LiveSync<S extends { seq: number }> implements StreamHandlers {
  /** Highest seq applied; null before the first snapshot. */
  private appliedSeq: number | null = null;
  private syncing = false;
  private buffered: HubEvent[] = [];
  private generation = 0;

  constructor(private readonly handlers: LiveSyncHandlers<S>) {}

  onRejected(): void {
    this.handlers.onRejected?.();
  }

  get seq(): number | null {
    return this.appliedSeq;
  }

  onLive(message: LiveStreamMessage): void {
    this.handlers.onLive?.(message);
  }

  onSyncStatus(status: SyncStatusEvent): void {
    this.handlers.onSyncStatus?.(status);
  }

  onHello(seq: number, businessDay?: string): void {
    this.handlers.onGreeting?.(businessDay);
    // Nothing happened while we were away: no need to refetch.
    if (this.appliedSeq !== null && seq === this.appliedSeq && !this.syncing) return;
    void this.resync();
  }

  onEvent(event: HubEvent): void {
    if (this.syncing) {
      this.buffered.push(event);
      return;
    }
    this.apply(event);
  }

  private apply(event: HubEvent): void {
    if (this.appliedSeq !== null && event.seq <= this.appliedSeq) return;
    this.appliedSeq = event.seq;
    this.handlers.onEvent(event);
  }

  private async resync(): Promise<void> {
    const generation = ++this.generation;
    this.syncing = true;
    let snapshot: S;
    try {
      snapshot = await this.handlers.fetchSnapshot();
    } catch (e) {
      if (generation !== this.generation) return;
      this.syncing = false;
      this.buffered = [];
      this.handlers.onResyncFailed?.(e);
      return;
    }
    // A later hello started another resync: its snapshot wins.
    if (generation !== this.generation) return;
    this.appliedSeq = snapshot.seq;
    this.handlers.onSnapshot(snapshot);
    const pending = this.buffered.sort((a, b) => a.seq - b.seq);
    this.buffered = [];
    this.syncing = false;
    for (const event of pending) this.apply(event);
  }
}
