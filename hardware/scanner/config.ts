import { z } from 'zod';
import { baudRateSchema } from '../printer/url.js';
import { SCANNER_SUFFIXES, type ScannerSuffix } from './framer.js';

/**
 * Scanner settings, from `--scanner serial:/dev/ttyACM0?baud=9600&suffix=cr&timeout=50&max=64`
 * or the hub's settings.
 */
export const scannerConfigSchema = z.object({
  path: z
    .string()
    .max(256)
    .regex(/^\/[A-Za-z0-9._/-]+$/, 'must be an absolute device path such as /dev/ttyACM0')
    .refine((p) => !p.split('/').includes('..'), 'must not contain ".."'),
  baudRate: baudRateSchema.default(9600),
  suffix: z.enum(SCANNER_SUFFIXES).default('cr'),
  /** Silence that ends a code without suffix (or abandons half a code). */
  interByteTimeoutMs: z.coerce.number().int().min(5).max(5000).default(50),
  maxLength: z.coerce.number().int().min(1).max(1024).default(64),
  /** Reopen the port after the scanner was unplugged. */
  reconnectDelayMs: z.coerce.number().int().min(50).max(60_000).default(1000),
});
export type ScannerConfig = z.output<typeof scannerConfigSchema>;
export type ScannerConfigInput = z.input<typeof scannerConfigSchema>;

const QUERY_KEYS: Record<string, keyof ScannerConfigInput> = {
  baud: 'baudRate',
  suffix: 'suffix',
  timeout: 'interByteTimeoutMs',
  max: 'maxLength',
};

/** Parses a scanner URL; throws an Error with a readable reason. */
export function parseScannerUrl(input: unknown): ScannerConfig {
  if (typeof input !== 'string' || input.length > 512)
    throw new Error('Invalid scanner URL: not a string of at most 512 characters');
  const m = /^serial:([^?]*)(?:\?(.*))?$/.exec(input.trim());
  if (!m)
    throw new Error(
      `Invalid scanner URL ${JSON.stringify(input.slice(0, 80))}: expected serial:/dev/ttyACM0?baud=9600`,
    );
  const raw: Record<string, string> = { path: m[1] ?? '' };
  for (const part of (m[2] ?? '').split('&').filter(Boolean)) {
    const [key = '', value = ''] = part.split('=', 2);
    const field = QUERY_KEYS[key];
    if (!field)
      throw new Error(`Invalid scanner URL: unknown option "${key}" (baud, suffix, timeout, max)`);
    if (field in raw) throw new Error(`Invalid scanner URL: option "${key}" given twice`);
    raw[field] = value;
  }
  const parsed = scannerConfigSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `Invalid scanner URL: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}

export type { ScannerSuffix };
