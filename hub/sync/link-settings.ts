// The hub's upstream link as stored in its database (migration 004): the central URL and token,
// what the central acknowledged of our log, the pull cursor, the applied configuration version
// and the last outcome. Persisted so a restart (or a SIGKILL) resumes exactly where it stopped.
import type { Db } from '../db/open-database';

/** The link of a hub to its central server. (An agent's link to its hub would be another name.) */
export const CENTRAL_LINK = 'central';

export interface LinkSettings {
  name: string;
  url: string;
  /** A secret: never log it, never return it from the API. */
  token: string;
  configLinked: boolean;
  configVersion: number | null;
  pullCursor: string;
  clockOffsetMs: number | null;
  lastSuccessAt: number | null;
  lastError: string | null;
}

interface LinkRow {
  name: string;
  url: string;
  token: string;
  config_linked: number;
  config_version: number | null;
  pull_cursor: string;
  clock_offset_ms: number | null;
  last_success_at: number | null;
  last_error: string | null;
}

const toSettings = (r: LinkRow): LinkSettings => ({
  name: r.name,
  url: r.url,
  token: r.token,
  configLinked: r.config_linked === 1,
  configVersion: r.config_version,
  pullCursor: r.pull_cursor,
  clockOffsetMs: r.clock_offset_ms,
  lastSuccessAt: r.last_success_at,
  lastError: r.last_error,
});

/** Normalises a central URL: http(s) only, no trailing slash, no credentials or query. */
export function normaliseCentralUrl(raw: string): string {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('the central URL must be http:// or https://');
  if (url.username || url.password)
    throw new Error('put the token in --central-token, not the URL');
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export class LinkStore {
  private readonly select;
  private readonly ackSelect;
  private readonly ackUpsert;

  constructor(
    private readonly db: Db,
    readonly name: string = CENTRAL_LINK,
  ) {
    this.select = db.prepare<[string], LinkRow>('SELECT * FROM sync_links WHERE name = ?');
    this.ackSelect = db.prepare<[string, string, string], { acked_seq: number }>(
      'SELECT acked_seq FROM sync_acks WHERE link = ? AND device_id = ? AND epoch = ?',
    );
    this.ackUpsert = db.prepare<[string, string, string, number]>(
      `INSERT INTO sync_acks (link, device_id, epoch, acked_seq) VALUES (?, ?, ?, ?)
       ON CONFLICT (link, device_id, epoch) DO UPDATE SET acked_seq = excluded.acked_seq`,
    );
  }

  get(): LinkSettings | null {
    const row = this.select.get(this.name);
    return row ? toSettings(row) : null;
  }

  /**
   * Links (or re-links) to `url` with `token`. Another URL is another server: its
   * acknowledgements, cursor and configuration start over. The same URL keeps them (a new token
   * for the same branch changes nothing about what it holds).
   */
  save(url: string, token: string, now: number): void {
    const normalised = normaliseCentralUrl(url);
    this.db
      .transaction(() => {
        const before = this.get();
        if (before && before.url === normalised) {
          this.db.prepare('UPDATE sync_links SET token = ? WHERE name = ?').run(token, this.name);
          return;
        }
        this.db.prepare('DELETE FROM sync_links WHERE name = ?').run(this.name);
        this.db
          .prepare('INSERT INTO sync_links (name, url, token, created_at) VALUES (?, ?, ?, ?)')
          .run(this.name, normalised, token, now);
      })
      .immediate();
  }

  ackedSeq(deviceId: string, epoch: string): number {
    return this.ackSelect.get(this.name, deviceId, epoch)?.acked_seq ?? 0;
  }

  saveAck(deviceId: string, epoch: string, ackedSeq: number): void {
    this.ackUpsert.run(this.name, deviceId, epoch, ackedSeq);
  }

  markConfigLinked(version: number): void {
    this.db
      .prepare('UPDATE sync_links SET config_linked = 1, config_version = ? WHERE name = ?')
      .run(version, this.name);
  }

  saveConfigVersion(version: number): void {
    this.db
      .prepare('UPDATE sync_links SET config_version = ? WHERE name = ?')
      .run(version, this.name);
  }

  saveCursor(cursor: string): void {
    this.db.prepare('UPDATE sync_links SET pull_cursor = ? WHERE name = ?').run(cursor, this.name);
  }

  saveClockOffset(offsetMs: number): void {
    this.db
      .prepare('UPDATE sync_links SET clock_offset_ms = ? WHERE name = ?')
      .run(Math.round(offsetMs), this.name);
  }

  saveOutcome(outcome: { successAt: number } | { error: string }): void {
    if ('successAt' in outcome)
      this.db
        .prepare('UPDATE sync_links SET last_success_at = ?, last_error = NULL WHERE name = ?')
        .run(outcome.successAt, this.name);
    else
      this.db
        .prepare('UPDATE sync_links SET last_error = ? WHERE name = ?')
        .run(outcome.error.slice(0, 500), this.name);
  }
}

/** This hub's log epoch (migration 004 makes it once per database). */
export function hubEpoch(db: Db): string {
  const row = db
    .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'hub_epoch'")
    .get();
  if (!row) throw new Error('hub_epoch missing: the database was not migrated to version 4');
  return row.value;
}
