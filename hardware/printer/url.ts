import { z } from 'zod';
import { InvalidPrinterUrlError } from './errors.js';

/**
 * Where a printer is, parsed from the URL the hub's settings or `--printer` give:
 *   tcp://host[:port]            network printer, raw port 9100 by default
 *   serial:/dev/ttyUSB0?baud=N   serial or USB-serial printer
 *   file:/dev/usb/lp0            USB printer class device (Linux usblp)
 *   mock:name                    in-memory printer for tests (see transports/mock.ts)
 */
export type PrinterTarget =
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'serial'; path: string; baudRate: number }
  | { kind: 'file'; path: string }
  | { kind: 'mock'; name: string };

export const DEFAULT_TCP_PORT = 9100;
export const DEFAULT_SERIAL_BAUD = 9600;
/** Rates thermal printers and scanners actually ship with; anything else is a typo. */
export const SERIAL_BAUD_RATES = [1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200] as const;

const MAX_URL_LENGTH = 512;

// Hostname (RFC 1123 labels), IPv4 or a bracketed IPv6 literal.
const hostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(
    /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)$/,
    'not a valid host name or IP address',
  );
const portSchema = z.coerce.number().int().min(1).max(65535);
// Absolute device paths only, no "..", no spaces or shell metacharacters.
const devicePathSchema = z
  .string()
  .max(256)
  .regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute device path such as /dev/ttyUSB0')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ".."');
export const baudRateSchema = z.coerce
  .number()
  .int()
  .refine((n) => (SERIAL_BAUD_RATES as readonly number[]).includes(n), {
    message: `baud must be one of ${SERIAL_BAUD_RATES.join(', ')}`,
  });

/** The zod schema the CLI and settings can reuse to validate a printer URL string. */
export const printerUrlSchema = z
  .string()
  .max(MAX_URL_LENGTH)
  .superRefine((value, ctx) => {
    const result = tryParsePrinterUrl(value);
    if (!result.ok) ctx.addIssue({ code: 'custom', message: result.error });
  });

function issuesText(error: z.ZodError): string {
  return error.issues.map((i) => i.message).join('; ');
}

function parseQuery(query: string | undefined, allowed: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  if (!query) return params;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    if (!allowed.includes(key)) throw new Error(`unknown option "${key}"`);
    if (params.has(key)) throw new Error(`option "${key}" given twice`);
    params.set(key, value);
  }
  return params;
}

export function tryParsePrinterUrl(
  input: unknown,
): { ok: true; target: PrinterTarget } | { ok: false; error: string } {
  try {
    return { ok: true, target: parsePrinterUrl(input) };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** Parses and validates a printer URL; throws InvalidPrinterUrlError with a readable reason. */
export function parsePrinterUrl(input: unknown): PrinterTarget {
  const fail = (reason: string): never => {
    const shown = typeof input === 'string' ? JSON.stringify(input.slice(0, 80)) : typeof input;
    throw new InvalidPrinterUrlError(
      `Invalid printer URL ${shown}: ${reason}. Expected tcp://host:9100, serial:/dev/ttyUSB0?baud=19200, file:/dev/usb/lp0 or mock:name.`,
    );
  };
  if (typeof input !== 'string') return fail('not a string');
  const url = input.trim();
  if (url.length === 0) return fail('empty');
  if (url.length > MAX_URL_LENGTH) return fail(`longer than ${MAX_URL_LENGTH} characters`);
  if (hasSpaceOrControl(url)) return fail('contains spaces or control characters');

  const scheme = /^([a-z]+):/i.exec(url)?.[1]?.toLowerCase();
  const rest = url.slice((scheme?.length ?? 0) + 1);
  switch (scheme) {
    case 'tcp': {
      const m = /^\/\/(\[[^\]]+\]|[^:/?#]+)(?::([^/?#]*))?\/?$/.exec(rest);
      if (!m) return fail('expected tcp://host or tcp://host:port with nothing after the port');
      const host = hostSchema.safeParse(m[1]);
      if (!host.success) return fail(issuesText(host.error));
      const port =
        m[2] === undefined
          ? { success: true as const, data: DEFAULT_TCP_PORT }
          : portSchema.safeParse(m[2]);
      if (!port.success || m[2] === '') return fail('port must be a number from 1 to 65535');
      const hostname = host.data.startsWith('[') ? host.data.slice(1, -1) : host.data;
      return { kind: 'tcp', host: hostname, port: port.data };
    }
    case 'serial': {
      const [path, query] = splitQuery(rest);
      const dev = devicePathSchema.safeParse(path);
      if (!dev.success) return fail(issuesText(dev.error));
      let params: Map<string, string>;
      try {
        params = parseQuery(query, ['baud']);
      } catch (error) {
        return fail((error as Error).message);
      }
      const baudRaw = params.get('baud');
      const baud =
        baudRaw === undefined
          ? { success: true as const, data: DEFAULT_SERIAL_BAUD }
          : baudRateSchema.safeParse(baudRaw);
      if (!baud.success) return fail(issuesText(baud.error));
      return { kind: 'serial', path: dev.data, baudRate: baud.data };
    }
    case 'file': {
      // Accept file:/dev/usb/lp0 and file:///dev/usb/lp0.
      const path = rest.startsWith('///') ? rest.slice(2) : rest;
      if (path.includes('?')) return fail('file URLs take no options');
      const dev = devicePathSchema.safeParse(path);
      if (!dev.success) return fail(issuesText(dev.error));
      return { kind: 'file', path: dev.data };
    }
    case 'mock': {
      const name = z
        .string()
        .regex(/^[A-Za-z0-9._-]{1,64}$/)
        .safeParse(rest);
      if (!name.success) return fail('mock name must be 1-64 letters, digits, ".", "_" or "-"');
      return { kind: 'mock', name: name.data };
    }
    default:
      return fail(scheme ? `unsupported scheme "${scheme}:"` : 'missing scheme');
  }
}

function splitQuery(s: string): [string, string | undefined] {
  const q = s.indexOf('?');
  return q === -1 ? [s, undefined] : [s.slice(0, q), s.slice(q + 1)];
}

/** A printer URL for logs and admin, normalised (default port and baud made explicit). */
export function formatPrinterTarget(target: PrinterTarget): string {
  switch (target.kind) {
    case 'tcp':
      return `tcp://${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
    case 'serial':
      return `serial:${target.path}?baud=${target.baudRate}`;
    case 'file':
      return `file:${target.path}`;
    case 'mock':
      return `mock:${target.name}`;
  }
}

/** Spaces or C0/DEL control characters: never part of a printer address, often a paste accident. */
function hasSpaceOrControl(text: string): boolean {
  for (const ch of text) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || /\s/.test(ch)) return true;
  }
  return false;
}
