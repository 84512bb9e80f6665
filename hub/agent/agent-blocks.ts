// The number blocks this agent holds: stored (durably, before use) as the hub grants them, and
// drawn from one number at a time inside the transaction of the ticket that uses the number.
// Blocks are kept per (service, business day): today's and the next business day's, so when the
// day turns while the hub is unreachable the new day's numbers are already here.
import type { NumberBlockDto } from '../../core/api/schemas';
import type { Db } from '../db/open-database';

export interface DrawnNumber {
  blockId: string;
  prefix: string;
  seq: number;
}

export class AgentBlocks {
  private readonly insert;
  private readonly firstWithRoom;
  private readonly advance;
  private readonly remainingStmt;
  private readonly pruneStmt;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO blocks (id, service_id, prefix, business_day, from_seq, to_seq, next_seq, granted_at)
       VALUES (@id, @serviceId, @prefix, @businessDay, @from, @to, @from, @grantedAt)`,
    );
    this.firstWithRoom = db.prepare<
      [string, string],
      { id: string; prefix: string; next_seq: number }
    >(
      `SELECT id, prefix, next_seq FROM blocks WHERE service_id = ? AND business_day = ? AND next_seq <= to_seq
       ORDER BY from_seq LIMIT 1`,
    );
    this.advance = db.prepare<[string]>('UPDATE blocks SET next_seq = next_seq + 1 WHERE id = ?');
    this.remainingStmt = db.prepare<[string, string], { n: number | null }>(
      'SELECT SUM(to_seq + 1 - next_seq) AS n FROM blocks WHERE service_id = ? AND business_day = ?',
    );
    // A block that numbered a ticket stays as long as the ticket (tickets.block_id refers to it).
    this.pruneStmt = db.prepare<[string]>(
      `DELETE FROM blocks WHERE business_day < ?
       AND NOT EXISTS (SELECT 1 FROM tickets WHERE tickets.block_id = blocks.id)`,
    );
  }

  store(block: NumberBlockDto, grantedAt: number): void {
    this.insert.run({ ...block, grantedAt });
  }

  /** Numbers still unused for a (service, day). */
  remaining(serviceId: string, day: string): number {
    return this.remainingStmt.get(serviceId, day)?.n ?? 0;
  }

  /**
   * Forgets the unused blocks of days before `day`: their numbers are never drawn again (draws are
   * for today only), and the hub keeps its own record of every grant. Returns how many went.
   */
  pruneBefore(day: string): number {
    return this.pruneStmt.run(day).changes;
  }

  /** Takes the next unused number (the caller's transaction commits it with the ticket), or null. */
  draw(serviceId: string, day: string): DrawnNumber | null {
    if (!this.db.inTransaction) throw new Error('AgentBlocks.draw must run inside a transaction');
    const block = this.firstWithRoom.get(serviceId, day);
    if (!block) return null;
    this.advance.run(block.id);
    return { blockId: block.id, prefix: block.prefix, seq: block.next_seq };
  }
}
