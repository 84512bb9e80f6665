// The Idempotency-Key ledger: the first answer to a (device, key) is kept and replayed, so a
// kiosk that retries after a timeout gets the same ticket instead of a second one. Answers are
// kept LEDGER_RETENTION_MS (7 days), then pruned (ledger-pruning.ts): every keyed POST adds a row of
// about a kilobyte, which on a busy branch would otherwise fill the lobby PC's disk over the years.
import { hash } from 'node:crypto';
import { writeTransaction } from '../../db/open-database';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';
import { merged } from '../../../core/records';

/** Far longer than any retry (a kiosk's is seconds; an agent's claim is made when it pushes). */
export const LEDGER_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Rows one prune step reads at most, so a step stays short whatever the ledger's size. */
const PRUNE_BATCH = 500;

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export class IdempotencyStore {
  private readonly select;
  private readonly insert;
  private readonly pruneStmt;

  constructor(private readonly ctx: HubContext) {
    this.select = ctx.db.prepare<
      [string, string],
      { request_hash: string; status_code: number; response: string | null }
    >(
      'SELECT request_hash, status_code, response FROM idempotency_keys WHERE device_id = ? AND key = ?',
    );
    this.insert = ctx.db.prepare(
      'INSERT INTO idempotency_keys (device_id, key, request_hash, status_code, response, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    // Rows are appended, so rowid order is (about) age order: the oldest batch is read and its
    // expired rows deleted. Reading a bounded window keeps a step short even when nothing in it
    // has expired (no index on created_at is written on every POST for this).
    this.pruneStmt = ctx.db.prepare<[number]>(
      `DELETE FROM idempotency_keys WHERE rowid IN (
         SELECT rowid FROM (SELECT rowid, created_at FROM idempotency_keys ORDER BY rowid LIMIT ${PRUNE_BATCH})
         WHERE created_at < ?)`,
    );
  }

  /**
   * One prune step: deletes, among the oldest rows, the answers older than LEDGER_RETENTION_MS.
   * Returns how many it deleted; 0 means there is nothing more to prune now.
   */
  pruneStep(): number {
    const before = this.ctx.clock.now() - LEDGER_RETENTION_MS;
    return writeTransaction(this.ctx.db, () => this.pruneStmt.run(before).changes);
  }

  /**
   * Runs `execute` once per (device, key): its answer is stored in the same transaction as the
   * change it made. A failed command stores nothing, so the client may retry it.
   */
  run(
    deviceId: string,
    key: string,
    request: string,
    execute: () => StoredAnswer,
    secret?: { store(body: unknown): unknown; replay(stored: unknown): unknown },
  ): StoredAnswer & { replayed: boolean } {
    const requestHash = hash('sha256', request, 'hex');
    return runCommand(this.ctx, () => {
      const previous = this.select.get(deviceId, key);
      if (previous) {
        if (previous.request_hash !== requestHash) {
          throw new HubError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was already used for a different request.',
          );
        }
        const stored: unknown =
          previous.response === null ? undefined : JSON.parse(previous.response);
        const body = secret ? secret.replay(stored) : stored;
        return { statusCode: previous.status_code, body, replayed: true };
      }
      const answer = execute();
      const kept = secret ? secret.store(answer.body) : answer.body;
      const response = kept === undefined ? null : JSON.stringify(kept);
      this.insert.run(
        deviceId,
        key,
        requestHash,
        answer.statusCode,
        response,
        this.ctx.clock.now(),
      );
      return merged(answer, { replayed: false });
    });
  }
}
