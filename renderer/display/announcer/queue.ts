// The announcement queue: calls are announced one after another, in arrival order, each as
// "chime, then the sentence in the ticket's language, then in the branch's". A new call waits
// for the current one to finish (never cuts it); a recall is a new announcement.
import type { SpeechEngine } from './engine';

export interface Announcement {
  /** The stream event id: the same event is never announced twice. */
  key: string;
  /** One sentence per language, in speaking order. */
  sentences: { lang: string; text: string }[];
}

export interface AnnouncementQueueOptions {
  /** Oldest waiting announcements are dropped past this, so a backlog never runs for minutes. */
  maxPending?: number;
}

export class AnnouncementQueue {
  private readonly pending: Announcement[] = [];
  private readonly seen = new Set<string>();
  private speaking: Promise<void> | null = null;
  private idleWaiters: (() => void)[] = [];

  constructor(
    private readonly engine: SpeechEngine,
    private readonly options: AnnouncementQueueOptions = {},
  ) {}

  /** Queue an announcement; returns false if that event was already announced. */
  enqueue(announcement: Announcement): boolean {
    if (this.seen.has(announcement.key)) return false;
    this.seen.add(announcement.key);
    this.pending.push(announcement);
    const max = this.options.maxPending ?? 12;
    while (this.pending.length > max) this.pending.shift();
    this.speaking ??= this.drain();
    return true;
  }

  get size(): number {
    return this.pending.length + (this.speaking ? 1 : 0);
  }

  /** Resolves once everything queued so far has been said. */
  whenIdle(): Promise<void> {
    if (!this.speaking) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async drain(): Promise<void> {
    for (let next = this.pending.shift(); next; next = this.pending.shift()) {
      await this.say(next);
    }
    this.speaking = null;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async say(announcement: Announcement): Promise<void> {
    // One failing step (no audio device, no voice) must not stop the rest or the queue.
    await this.engine.chime().catch(() => undefined);
    for (const sentence of announcement.sentences) {
      await this.engine.speak(sentence.text, sentence.lang).catch(() => undefined);
    }
  }
}
