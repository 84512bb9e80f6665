// Number blocks (docs/sync.md, "Offline kiosks"): ranges of a (service, business day)'s sequence
// numbers granted to one kiosk agent epoch, so it can issue tickets while the hub is unreachable.
// Blocks are granted for today and for the next business day (so an agent offline across midnight,
// or at opening with the hub down, still issues). A block is written before the grant is answered
// and kept while its day can still matter: the hub's own numbering of a day skips every range
// granted for it, so a number is drawn once, whoever draws it and whatever crashes. Blocks of days
// more than BLOCK_RETENTION_DAYS past are pruned.
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_NUMBER_BLOCK_SIZE,
  type NumberBlockDto,
  type NumberBlockRequest,
} from '../../../core/api/schemas';
import { addDays, businessDay, nextBusinessDay } from '../../../core/numbering';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import type { BranchStore } from '../branch/branch-store';
import type { ServiceStore } from '../services/service-store';

export interface GrantedRange {
  from: number;
  to: number;
}

interface BlockRow {
  id: string;
  agent_id: string;
  epoch: string;
  service_id: string;
  business_day: string;
  from_seq: number;
  to_seq: number;
  retired_at: number | null;
}

/**
 * Days a past day's blocks are kept. A block must outlive every push that may still carry one of
 * its tickets (an agent back after weeks away); after this, such a ticket is stored as rejected.
 */
export const BLOCK_RETENTION_DAYS = 30;

/** The days the hub grants blocks for, seen from its own today: today and the next business day. */
export function grantableDays(today: string): [string, string] {
  return [today, nextBusinessDay(today)];
}

/**
 * The first number a block may hold. The hub's own tickets start each day at 1 (A001, as staff
 * and visitors expect), so agents' blocks are taken from 501 up: an agent's offline tickets then
 * read A501… and the hub's own numbering passes over a block only on a day past 500 tickets.
 */
export const FIRST_BLOCK_SEQ = 501;

/** The agent's log id: one agent per kiosk device token, named after the device. */
export const agentIdFor = (kioskDeviceId: string): string => `agent-${kioskDeviceId}`;

export class NumberBlockStore {
  private readonly rangesOfDay;
  private readonly maxTicketSeq;
  private readonly insertBlock;
  private readonly retireOthers;
  private readonly ofEpochStmt;
  private readonly pruneStmt;

  constructor(
    private readonly ctx: HubContext,
    private readonly branch: BranchStore,
    private readonly services: ServiceStore,
  ) {
    const { db } = ctx;
    this.rangesOfDay = db.prepare<[string, string], { from: number; to: number }>(
      `SELECT from_seq AS "from", to_seq AS "to" FROM number_blocks
       WHERE service_id = ? AND business_day = ? ORDER BY from_seq`,
    );
    this.maxTicketSeq = db.prepare<[string, string], { s: number | null }>(
      'SELECT MAX(seq) AS s FROM tickets WHERE issued_service_id = ? AND business_day = ?',
    );
    this.insertBlock = db.prepare(
      `INSERT INTO number_blocks (id, kiosk_device_id, agent_id, epoch, service_id, business_day, from_seq, to_seq, granted_at)
       VALUES (@id, @kiosk_device_id, @agent_id, @epoch, @service_id, @business_day, @from_seq, @to_seq, @granted_at)`,
    );
    this.retireOthers = db.prepare<[number, string, string]>(
      'UPDATE number_blocks SET retired_at = ? WHERE kiosk_device_id = ? AND epoch <> ? AND retired_at IS NULL',
    );
    this.ofEpochStmt = db.prepare<[string, string], BlockRow>(
      'SELECT * FROM number_blocks WHERE agent_id = ? AND epoch = ? ORDER BY granted_at, from_seq',
    );
    this.pruneStmt = db.prepare<[string]>('DELETE FROM number_blocks WHERE business_day < ?');
  }

  /** Every range granted for a (service, day), retired or not, by `from`. */
  grantedRanges(serviceId: string, day: string): GrantedRange[] {
    return this.rangesOfDay.all(serviceId, day);
  }

  /**
   * Grants the next block of a service for `request.businessDay` (today when absent; only today or
   * the next business day, on the hub's clock) to the agent of `kioskDeviceId`. A request under
   * a new epoch first retires every block of the agent's earlier epochs, whatever their day (a lost
   * disk: whatever numbers they still held are never issued by anyone).
   */
  grant(kioskDeviceId: string, request: NumberBlockRequest): NumberBlockDto {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const settings = this.branch.settings();
      const service = this.services.get(request.serviceId);
      const today = businessDay(now, settings.timeZone);
      const days = grantableDays(today);
      const day = request.businessDay ?? today;
      // A past day is over, and a day further ahead would hold numbers back for nothing. An agent
      // whose clock is off near midnight asks again on its next round.
      if (!days.includes(day))
        throw new HubError(
          409,
          'business_day_not_grantable',
          `Numbers are granted for ${days.join(' and ')} only (the hub's today and next business day), not ${day}.`,
        );
      this.pruneStmt.run(addDays(today, -BLOCK_RETENTION_DAYS));
      this.retireOthers.run(now, kioskDeviceId, request.epoch);
      // After every number anybody may hold (tickets issued and every range granted before), and
      // never below FIRST_BLOCK_SEQ.
      const ranges = this.grantedRanges(service.id, day);
      const lastGranted = ranges.reduce((max, r) => Math.max(max, r.to), 0);
      const from =
        Math.max(this.maxTicketSeq.get(service.id, day)?.s ?? 0, lastGranted, FIRST_BLOCK_SEQ - 1) +
        1;
      const size = request.size ?? DEFAULT_NUMBER_BLOCK_SIZE;
      if (!Number.isSafeInteger(from + size))
        throw new HubError(409, 'numbers_exhausted', `No numbers left to grant for ${day}.`);
      const block = {
        id: `nb-${randomUUID()}`,
        kiosk_device_id: kioskDeviceId,
        agent_id: agentIdFor(kioskDeviceId),
        epoch: request.epoch,
        service_id: service.id,
        business_day: day,
        from_seq: from,
        to_seq: from + size - 1,
        granted_at: now,
      };
      this.insertBlock.run(block);
      return {
        id: block.id,
        agentId: block.agent_id,
        epoch: block.epoch,
        serviceId: service.id,
        prefix: service.prefix,
        businessDay: day,
        from: block.from_seq,
        to: block.to_seq,
        timeZone: settings.timeZone,
        receiverTime: now,
      };
    });
  }

  /** The block of an agent epoch that holds `seq` of a (service, day), if any (retired ones too). */
  holding(
    agentId: string,
    epoch: string,
    serviceId: string,
    day: string,
    seq: number,
  ): BlockRow | undefined {
    return this.ofEpochStmt
      .all(agentId, epoch)
      .find(
        (b) =>
          b.service_id === serviceId &&
          b.business_day === day &&
          b.from_seq <= seq &&
          seq <= b.to_seq,
      );
  }
}

/**
 * The hub's own next number of a (service, day): after its own last ticket (the last one in no
 * granted range), skipping every granted range. Pure, so the rule is tested without a database.
 */
export function nextOwnSeq(lastTicketSeq: number, granted: readonly GrantedRange[]): number {
  let candidate = lastTicketSeq + 1;
  // Ranges sorted by `from`; one pass moves past each range that holds the candidate.
  for (const range of [...granted].sort((a, b) => a.from - b.from)) {
    if (range.from <= candidate && candidate <= range.to) candidate = range.to + 1;
  }
  return candidate;
}
