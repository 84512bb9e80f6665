// The zod schema of every IPC payload, next to the channel it travels on. The types in
// preload/api.ts are what pages are promised; the `satisfies` checks below make the schemas and
// those types unable to drift apart.
import { z } from 'zod';
import type { SaveSetupRequest, StaffAction } from '../../preload/api';
import { HubUrlSchema, MachineRoleSchema, ScreenAssignmentsSchema } from '../config/setup-config';
import { PinSchema } from '../security/admin-pin';

/** No legitimate payload is near this; a bigger one is refused before it is even parsed. */
export const MAX_PAYLOAD_BYTES = 8 * 1024;

// A pairing code (8 characters) or a device token (a few dozen URL-safe characters).
const Credential = z.string().regex(/^[A-Za-z0-9_-]{6,200}$/, 'not a pairing code or token');

export const SaveSetupPayload = z
  .object({
    pin: PinSchema,
    newPin: PinSchema.optional(),
    roles: z.array(MachineRoleSchema).min(1).max(4),
    hubUrl: HubUrlSchema,
    counterId: z.string().min(1).max(64).optional(),
    screenAssignments: ScreenAssignmentsSchema,
    pairing: z
      .object({
        kiosk: Credential.optional(),
        display: Credential.optional(),
        counter: Credential.optional(),
        admin: Credential.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
// The schema accepts exactly what the page is told it may send.
export type SaveSetupPayload = z.input<typeof SaveSetupPayload>;
export type SaveSetupData = z.output<typeof SaveSetupPayload>;
null as unknown as SaveSetupRequest satisfies SaveSetupPayload;

export const StaffActionSchema = z.enum([
  'exit',
  'setup',
  'cancel',
]) satisfies z.ZodType<StaffAction>;
export const UnlockStaffPayload = z.tuple([z.string().max(32), StaffActionSchema]);
export const NoPayload = z.tuple([]);
