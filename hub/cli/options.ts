// Command-line values checked like any other input crossing into the hub.
import { z } from 'zod';
import { PRINTER_TYPES, ROLES } from '../../core/api/schemas';
import { printerUrlSchema } from '../../hardware/index';

export const DataDir = z.string().min(1, '--data needs a folder');
export const Port = z.coerce.number().int().min(0).max(65535);
export const Host = z.string().min(1).max(255);

export const HubFlags = z.object({
  data: DataDir,
  host: Host.default('0.0.0.0'),
  port: Port.default(4280),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  printer: printerUrlSchema.optional(),
  paperWidth: z.coerce
    .number()
    .pipe(z.union([z.literal(58), z.literal(80)]))
    .default(80),
  printerType: z.enum(PRINTER_TYPES).default('epson'),
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as http://192.168.1.10:4280' })
    .max(200)
    .optional(),
  scanner: z
    .string()
    .max(512)
    .regex(/^serial:\S+$/, 'serial:/dev/ttyACM0?baud=9600')
    .optional(),
  /** The central server this hub syncs with; stored, so later starts need not repeat it. */
  central: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://guichet.example.org' })
    .max(300)
    .optional(),
  /** The branch token from `guichet server branch add` (or $GUICHET_CENTRAL_TOKEN). */
  centralToken: z.string().min(1).max(512).optional(),
});
/** `--printer URL --paper-width N --printer-type T` as the hub and the agent take them. */
export function printerFromFlags(flags: {
  printer?: string | undefined;
  paperWidth: 58 | 80;
  printerType: (typeof PRINTER_TYPES)[number];
}): {
  printer?: { url: string; paperWidthMm: 58 | 80; printerType: (typeof PRINTER_TYPES)[number] };
} {
  return flags.printer
    ? {
        printer: {
          url: flags.printer,
          paperWidthMm: flags.paperWidth,
          printerType: flags.printerType,
        },
      }
    : {};
}

/** `guichet agent`: a kiosk machine that is not the hub. */
export const AgentFlags = z.object({
  data: DataDir,
  hub: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as http://192.168.1.10:4280' })
    .max(300),
  /** The kiosk's device token (or $GUICHET_AGENT_TOKEN). */
  token: z.string().min(1, '--token (or GUICHET_AGENT_TOKEN) is required').max(512),
  host: Host.default('127.0.0.1'),
  port: Port.default(4281),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  /** The kiosk's own printer, driven by the agent (the same forms and options as the hub's). */
  printer: HubFlags.shape.printer,
  paperWidth: HubFlags.shape.paperWidth,
  printerType: HubFlags.shape.printerType,
});
export const InitFlags = z.object({
  data: DataDir,
  demo: z.boolean().default(false),
  json: z.boolean().default(false),
  name: z.string().min(1).max(120).optional(),
  timeZone: z.string().optional(),
  lang: z.string().optional(),
});
export const DeviceAddFlags = z.object({
  data: DataDir,
  role: z.enum(ROLES),
  counter: z.string().min(1).max(64).optional(),
  name: z.string().min(1).max(60).optional(),
  json: z.boolean().default(false),
});
export const DemoFlags = z.object({
  data: DataDir.default('.guichet-demo'),
  host: Host.default('127.0.0.1'),
  port: Port.default(4280),
});

/** Parses flags or explains, in one line per problem, what to fix. */
export function parseFlags<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map(
    (i) => `  --${i.path.join('.') || 'options'}: ${i.message}`,
  );
  throw new CliError(`Invalid options:\n${lines.join('\n')}`);
}

export class CliError extends Error {
  override name = 'CliError';
}
