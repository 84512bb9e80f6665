// The number blocks this agent holds: stored (durably, before use) as the hub grants them, and
// drawn from one number at a time inside the transaction of the ticket that uses the number.
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
  }

  store(block: NumberBlockDto, grantedAt: number): void {
    this.insert.run({ ...block, grantedAt });
  }

  /** Numbers still unused for a (service, day). */
  remaining(serviceId: string, day: string): number {
    return this.remainingStmt.get(serviceId, day)?.n ?? 0;
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
