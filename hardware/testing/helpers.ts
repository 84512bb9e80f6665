import { execFile } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Test helpers: bounded waits on conditions and events, never sleep-and-hope. */

export const ARTIFACTS_DIR = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../artifacts/hardware',
);

/** Polls `condition` every `everyMs` until true; throws after `timeoutMs`. */
export async function waitUntil(
  condition: () => boolean,
  timeoutMs = 5000,
  what = 'condition',
  everyMs = 5,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Resolves with the first event `name` whose payload matches. */
export function nextEvent<T>(
  emitter: EventEmitter,
  name: string,
  match: (value: T) => boolean = () => true,
  timeoutMs = 5000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T): void => {
      if (!match(value)) return;
      clearTimeout(timer);
      emitter.off(name, listener);
      resolve(value);
    };
    const timer = setTimeout(() => {
      emitter.off(name, listener);
      reject(new Error(`no matching "${name}" event within ${timeoutMs} ms`));
    }, timeoutMs);
    emitter.on(name, listener);
  });
}

/** Decodes the QR codes in a PNG with Debian's zbarimg (zbar-tools). */
export async function zbarDecode(pngPath: string): Promise<string[]> {
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile('zbarimg', ['--raw', '-q', pngPath], { timeout: 10_000 }, (error, out) => {
      if (error && !out) reject(error);
      else resolve(out);
    });
  });
  return stdout.split('\n').filter((line) => line.length > 0);
}

export async function saveArtifact(name: string, data: Buffer): Promise<string> {
  await fs.mkdir(ARTIFACTS_DIR, { recursive: true });
  const file = path.join(ARTIFACTS_DIR, name);
  await fs.writeFile(file, data);
  return file;
}
