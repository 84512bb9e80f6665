// A branch's configuration as it travels between hub and server: services, counters with their
// work profiles, devices and branch settings, under one `version`. The hub applies a new version
// in one transaction; the server is its source once a branch is linked (docs/sync.md).
import { z } from 'zod';
import { Id, LangCode, LocalizedText, ROLES, WorkProfileEntryDto } from '../api/schemas';
import { isValidTimeZone } from '../numbering';

const IsoTime = z.iso.datetime({ offset: true });

export const BranchSettings = z
  .object({
    name: z.string().trim().min(1).max(120),
    timeZone: z.string().min(1).max(64).refine(isValidTimeZone, 'an IANA time zone'),
    defaultLang: LangCode,
    languages: z.array(LangCode).min(1).max(20),
    capacity: z.number().int().min(1).max(100_000).nullable(),
    priorityEnabled: z.boolean(),
    inactivityTimeoutSec: z.number().int().min(5).max(600),
    announcementTemplates: z.record(LangCode, z.string().min(1).max(300)),
    priorityCap: z.number().int().min(1).max(20),
    agingThresholdSec: z
      .number()
      .int()
      .min(60)
      .max(24 * 3600),
    maxRecalls: z.number().int().min(0).max(10),
  })
  .strict();
export type BranchSettings = z.infer<typeof BranchSettings>;

export const ConfigService = z
  .object({
    id: Id,
    prefix: z.string().regex(/^[A-Z]$/, 'one capital letter'),
    name: LocalizedText,
    open: z.boolean(),
    position: z.number().int().min(0).max(10_000),
  })
  .strict();
export type ConfigService = z.infer<typeof ConfigService>;

export const ConfigCounter = z
  .object({
    id: Id,
    name: z.string().trim().min(1).max(60),
    /** The counter's work profile: which services it serves and how eagerly. */
    profile: z.array(WorkProfileEntryDto).max(26),
  })
  .strict();
export type ConfigCounter = z.infer<typeof ConfigCounter>;

/** Devices travel without their tokens: a token never leaves the place it was issued. */
export const ConfigDevice = z
  .object({
    id: Id,
    name: z.string().min(1).max(60),
    role: z.enum(ROLES),
    counterId: Id.nullable(),
    createdAt: IsoTime,
    revokedAt: IsoTime.nullable(),
  })
  .strict();
export type ConfigDevice = z.infer<typeof ConfigDevice>;

const ConfigFields = z
  .object({
    settings: BranchSettings,
    services: z.array(ConfigService).max(26),
    counters: z.array(ConfigCounter).max(500),
    devices: z.array(ConfigDevice).max(2_000),
  })
  .strict();

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const v of values) (seen.has(v) ? twice : seen).add(v);
  return [...twice];
}

/** A configuration as a hub or an admin sends it: whole, and consistent with itself. */
export const BranchConfigInput = ConfigFields.superRefine((config, ctx) => {
  const problem = (message: string, path: (string | number)[]) =>
    ctx.addIssue({ code: 'custom', message, path });
  const serviceIds = new Set(config.services.map((s) => s.id));
  const counterIds = new Set(config.counters.map((c) => c.id));
  for (const id of duplicates(config.services.map((s) => s.id)))
    problem(`service id "${id}" appears twice`, ['services']);
  for (const prefix of duplicates(config.services.map((s) => s.prefix)))
    problem(`service prefix "${prefix}" appears twice`, ['services']);
  for (const id of duplicates(config.counters.map((c) => c.id)))
    problem(`counter id "${id}" appears twice`, ['counters']);
  for (const id of duplicates(config.devices.map((d) => d.id)))
    problem(`device id "${id}" appears twice`, ['devices']);
  config.counters.forEach((counter, i) => {
    for (const entry of counter.profile)
      if (!serviceIds.has(entry.serviceId))
        problem(`unknown service "${entry.serviceId}"`, ['counters', i, 'profile']);
    for (const id of duplicates(counter.profile.map((e) => e.serviceId)))
      problem(`service "${id}" appears twice in the profile`, ['counters', i, 'profile']);
  });
  config.devices.forEach((device, i) => {
    if ((device.role === 'counter') !== (device.counterId !== null))
      problem('a counter device, and only one, names its counter', ['devices', i, 'counterId']);
    if (device.counterId !== null && !counterIds.has(device.counterId))
      problem(`unknown counter "${device.counterId}"`, ['devices', i, 'counterId']);
  });
  if (!config.settings.languages.includes(config.settings.defaultLang))
    problem('defaultLang must be one of languages', ['settings', 'defaultLang']);
});
export type BranchConfigInput = z.infer<typeof BranchConfigInput>;

/** The configuration as the server holds it: a version (1, 2, 3…) and when it was set. */
export const BranchConfig = ConfigFields.extend({
  version: z.number().int().min(1),
  updatedAt: IsoTime,
});
export type BranchConfig = z.infer<typeof BranchConfig>;
