// The Idempotency-Key ledger: the first answer to a (device, key) is kept and replayed, so a
// kiosk that retries after a timeout gets the same ticket instead of a second one.
import { createHash } from 'node:crypto';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError } from '../../hub-error';

export interface StoredAnswer {
  statusCode: number;
  body: unknown;
}

export class IdempotencyStore {
  private readonly select;
  private readonly insert;

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
    const requestHash = createHash('sha256').update(request).digest('hex');
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
      return { ...answer, replayed: false };
    });
  }
}
