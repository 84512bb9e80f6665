// The branch's identity and settings (one row).
import type { BranchDto } from '../../../core/api/schemas';
import { businessDay } from '../../../core/numbering';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import { merged, withChanges } from '../../../core/records';

export type BranchSettings = Omit<BranchDto, 'occupancy'>;
export type BranchPatch = Partial<Omit<BranchSettings, 'id' | 'timeZone'>>;

interface BranchRow {
  id: string;
  name: string;
  time_zone: string;
  default_lang: string;
  languages: string;
  capacity: number | null;
  priority_enabled: number;
  inactivity_timeout_sec: number;
  announcement_templates: string;
  priority_cap: number;
  aging_threshold_sec: number;
  max_recalls: number;
}

const toSettings = (r: BranchRow): BranchSettings => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  defaultLang: r.default_lang,
  languages: JSON.parse(r.languages) as string[],
  capacity: r.capacity,
  priorityEnabled: r.priority_enabled === 1,
  inactivityTimeoutSec: r.inactivity_timeout_sec,
  announcementTemplates: JSON.parse(r.announcement_templates) as Record<string, string>,
  priorityCap: r.priority_cap,
  agingThresholdSec: r.aging_threshold_sec,
  maxRecalls: r.max_recalls,
});

const toParams = (s: BranchSettings) => ({
  id: s.id,
  name: s.name,
  time_zone: s.timeZone,
  default_lang: s.defaultLang,
  languages: JSON.stringify(s.languages),
  capacity: s.capacity,
  priority_enabled: s.priorityEnabled ? 1 : 0,
  inactivity_timeout_sec: s.inactivityTimeoutSec,
  announcement_templates: JSON.stringify(s.announcementTemplates),
  priority_cap: s.priorityCap,
  aging_threshold_sec: s.agingThresholdSec,
  max_recalls: s.maxRecalls,
});

export class BranchStore {
  private readonly select;
  private readonly insert;
  private readonly update;
  private readonly occupancyStmt;

  constructor(private readonly ctx: HubContext) {
    const { db } = ctx;
    this.select = db.prepare<[], BranchRow>('SELECT * FROM branch LIMIT 1');
    const cols =
      'id, name, time_zone, default_lang, languages, capacity, priority_enabled, inactivity_timeout_sec, announcement_templates, priority_cap, aging_threshold_sec, max_recalls';
    this.insert = db.prepare(
      `INSERT INTO branch (${cols}) VALUES (${cols
        .split(', ')
        .map((c) => '@' + c)
        .join(', ')})`,
    );
    this.update = db.prepare(
      `UPDATE branch SET ${cols
        .split(', ')
        .filter((c) => c !== 'id')
        .map((c) => `${c} = @${c}`)
        .join(', ')} WHERE id = @id`,
    );
    // Counts kept by the database (migration 007): a few rows, however long the queue.
    this.occupancyStmt = db.prepare<[string], { n: number }>(
      'SELECT COALESCE(SUM(n), 0) AS n FROM queue_counts WHERE business_day = ?',
    );
  }

  exists(): boolean {
    return this.select.get() !== undefined;
  }

  settings(): BranchSettings {
    const row = this.select.get();
    if (!row)
      throw new HubError(
        409,
        'branch_not_initialised',
        'This hub has no branch yet: run `guichet init` first.',
      );
    return toSettings(row);
  }

  /**
   * Waiting, called and being served today: the people in the building, for the capacity limit.
   * Tickets left over from an earlier day are not people in the building now.
   */
  occupancy(): number {
    return this.occupancyOn(this.businessDayNow());
  }

  /** The same, for a business day the caller already knows (issuing computes it anyway). */
  occupancyOn(day: string): number {
    return this.occupancyStmt.get(day)?.n ?? 0;
  }

  /** Today's date in the branch's time zone. */
  businessDayNow(): string {
    return businessDay(this.ctx.clock.now(), this.settings().timeZone);
  }

  dto(): BranchDto {
    return merged(this.settings(), { occupancy: this.occupancy() });
  }

  create(settings: BranchSettings, actor: Actor): BranchSettings {
    return runCommand(this.ctx, () => {
      this.insert.run(toParams(settings));
      this.ctx.outbox.append(
        {
          type: 'branch.created',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { branch: settings },
        },
        this.ctx.clock.now(),
      );
      return settings;
    });
  }

  patch(patch: BranchPatch, actor: Actor): BranchDto {
    runCommand(this.ctx, () => {
      const before = this.settings();
      const next: BranchSettings = withChanges(before, patch);
      if (JSON.stringify(next) === JSON.stringify(before)) return;
      if (!next.languages.includes(next.defaultLang)) {
        throw new HubError(
          422,
          'invalid_settings',
          `The default language "${next.defaultLang}" must be one of the branch languages.`,
        );
      }
      this.update.run(toParams(next));
      this.ctx.outbox.append(
        {
          type: 'branch.updated',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { patch },
        },
        this.ctx.clock.now(),
      );
    });
    return this.dto();
  }
}
