// This machine's setup, as stored in <userData>/guichet-setup.json and checked by zod every time
// it is read: a file edited by hand or half-written by a power cut must never start a lobby
// machine in an unknown state. It holds no secret (those are in the secret store).
import { z } from 'zod';
import type { MachineRole, ScreenRole } from '../../preload/api';

export const MACHINE_ROLES = [
  'hub',
  'kiosk',
  'display',
  'counter',
] as const satisfies readonly MachineRole[];
export const SCREEN_ROLES = [
  'kiosk',
  'display',
  'counter',
  'admin',
] as const satisfies readonly ScreenRole[];

export const MachineRoleSchema = z.enum(MACHINE_ROLES);
export const ScreenRoleSchema = z.enum(SCREEN_ROLES);

/** The hub's base URL: http(s), a host, maybe a port, nothing else (no path, no credentials). */
export const HubUrlSchema = z
  .string()
  .max(200)
  .refine((raw) => {
    try {
      const url = new URL(raw);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.hostname !== '' &&
        url.username === '' &&
        url.password === '' &&
        (url.pathname === '/' || url.pathname === '') &&
        url.search === '' &&
        url.hash === ''
      );
    } catch {
      return false;
    }
  }, 'must be like http://192.168.1.10:4280 (no path, no user name)')
  .transform((raw) => new URL(raw).origin);

export const ScreenAssignmentsSchema = z
  .object({
    kiosk: z.number().int().optional(),
    display: z.number().int().optional(),
    counter: z.number().int().optional(),
    admin: z.number().int().optional(),
  })
  .strict();

export const SetupConfigSchema = z
  .object({
    version: z.literal(1),
    roles: z
      .array(MachineRoleSchema)
      .min(1, 'choose at least one role')
      .max(MACHINE_ROLES.length)
      .refine((roles) => new Set(roles).size === roles.length, 'a role is listed twice'),
    hubUrl: HubUrlSchema,
    /** The port the local hub listens on, when this machine is the hub. */
    hubPort: z.number().int().min(1).max(65_535).default(4280),
    counterId: z.string().min(1).max(64).nullable().default(null),
    screenAssignments: ScreenAssignmentsSchema.default({}),
    startAtLogin: z.boolean().default(true),
  })
  .strict()
  .refine((config) => !config.roles.includes('counter') || config.counterId !== null, {
    message: 'a counter machine needs its counter id',
    path: ['counterId'],
  });

export type SetupConfig = z.infer<typeof SetupConfigSchema>;

export type ConfigReadResult =
  | { kind: 'missing' }
  | { kind: 'invalid'; problems: string[] }
  | { kind: 'ok'; config: SetupConfig };

/** Turns the raw file content (or null when there is none) into a config or a clear reason. */
export function parseSetupConfig(raw: string | null): ConfigReadResult {
  if (raw === null) return { kind: 'missing' };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { kind: 'invalid', problems: ['the file is not JSON'] };
  }
  const parsed = SetupConfigSchema.safeParse(json);
  if (!parsed.success)
    return {
      kind: 'invalid',
      problems: parsed.error.issues.map(
        (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
      ),
    };
  return { kind: 'ok', config: parsed.data };
}

/** The hub URL local screens use when this machine is the hub. */
export function localHubUrl(port: number): string {
  return `http://127.0.0.1:${port}`;
}
