// Every POST goes through here: with an Idempotency-Key, its answer is stored with the change and
// replayed on repeats; without one, the command simply runs.
import type { FastifyRequest } from 'fastify';
import { HubError } from '../hub-error';
import type { Hub } from '../hub';
import { actorOf } from './auth';

const KEY_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** The part of a reply this module uses (method syntax keeps it assignable from typed replies). */
interface AnswerSink {
  code(statusCode: number): unknown;
  header(name: string, value: string): unknown;
  send(body?: unknown): unknown;
}

/**
 * For answers that hold a secret (a new device's token): what to store instead of the answer,
 * and how to rebuild a full answer on a replay. The ledger must never hold a secret.
 */
export interface SecretAnswer {
  store(body: unknown): unknown;
  replay(stored: unknown): unknown;
}

export function idempotent(
  hub: Hub,
  request: FastifyRequest,
  reply: AnswerSink,
  execute: () => { statusCode: number; body: unknown },
  secret?: SecretAnswer,
): void {
  const key = request.headers['idempotency-key'];
  if (key === undefined) {
    const answer = execute();
    return sendAnswer(reply, answer.statusCode, answer.body);
  }
  if (typeof key !== 'string' || !KEY_PATTERN.test(key)) {
    throw new HubError(
      400,
      'invalid_idempotency_key',
      'Idempotency-Key must be 1 to 128 printable ASCII characters.',
    );
  }
  const request_ = `${request.method} ${request.routeOptions.url ?? request.url} ${JSON.stringify(request.params)} ${JSON.stringify(request.body ?? null)}`;
  const answer = hub.idempotency.run(actorOf(request).deviceId, key, request_, execute, secret);
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  return sendAnswer(reply, answer.statusCode, answer.body);
}

function sendAnswer(reply: AnswerSink, statusCode: number, body: unknown): void {
  reply.code(statusCode);
  if (body === undefined) reply.send();
  else reply.send(body);
}
