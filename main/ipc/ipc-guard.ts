// Every IPC message is checked twice before a handler sees it: who sent it (the top frame of a
// page on an origin allowed for that channel; a frame that navigated away or an iframe is not
// trusted) and what it carries (bounded in size, then parsed by the channel's zod schema). A
// refused message gets an error and a log line, never a half-run handler.
import type { z } from 'zod';
import { originOf } from '../security/navigation-allowlist';
import { MAX_PAYLOAD_BYTES } from './ipc-schemas';

/** The fields of Electron's IpcMainInvokeEvent / IpcMainEvent we check. */
export interface IpcSenderInfo {
  senderFrame: { url: string; parent: unknown } | null;
}

export class IpcRejected extends Error {
  constructor(
    readonly channel: string,
    readonly reason: string,
  ) {
    super(`IPC ${channel} refused: ${reason}`);
  }
}

/** A set of normalised origins (see originOf), or anything that answers the same question. */
export interface OriginCheck {
  has(origin: string): boolean;
}

export function senderProblem(event: IpcSenderInfo, allowedOrigins: OriginCheck): string | null {
  const frame = event.senderFrame;
  if (!frame) return 'the sending frame is gone';
  if (frame.parent !== null) return 'sent from a sub-frame';
  const origin = originOf(frame.url);
  if (origin === null || !allowedOrigins.has(origin))
    return `origin not allowed: ${frame.url || '(none)'}`;
  return null;
}

/** The payload's size as JSON, or Infinity when it cannot be serialised (a cycle, a BigInt). */
export function payloadBytes(args: readonly unknown[]): number {
  try {
    return Buffer.byteLength(JSON.stringify(args) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

export interface GuardOptions<S extends z.ZodType> {
  channel: string;
  /** Normalised origins (see originOf) whose top frames may use this channel. */
  allowedOrigins: OriginCheck;
  schema: S;
  onRejected?(error: IpcRejected): void;
}

/** Wraps a handler: it runs only for a trusted sender with a valid payload. */
export function guardIpc<S extends z.ZodType, R>(
  options: GuardOptions<S>,
  handler: (payload: z.output<S>, event: IpcSenderInfo) => R,
): (event: IpcSenderInfo, ...args: unknown[]) => R {
  return (event, ...args) => {
    const reject = (reason: string): never => {
      const error = new IpcRejected(options.channel, reason);
      options.onRejected?.(error);
      throw error;
    };
    const problem = senderProblem(event, options.allowedOrigins);
    if (problem) return reject(problem);
    if (payloadBytes(args) > MAX_PAYLOAD_BYTES) return reject('payload too large');
    const parsed = options.schema.safeParse(args);
    if (!parsed.success)
      return reject(`invalid payload: ${parsed.error.issues[0]?.message ?? 'unknown'}`);
    return handler(parsed.data, event);
  };
}
