// What the hub's utility process and the main process tell each other, checked by zod on
// arrival (a process boundary is a trust boundary too, if a thin one).
import { z } from 'zod';

export const HubStartRequest = z
  .object({
    type: z.literal('start'),
    dataDir: z.string().min(1),
    host: z.string().min(1),
    port: z.number().int().min(0).max(65_535),
    screensDir: z.string().min(1).nullable(),
    /** Screen roles this machine shows that still need a device token from this hub. */
    needTokensFor: z.array(z.enum(['kiosk', 'display', 'counter', 'admin'])),
    counterId: z.string().nullable(),
  })
  .strict();
export type HubStartRequest = z.infer<typeof HubStartRequest>;

export const HubReport = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('ready'),
      url: z.string().url(),
      tokens: z.partialRecord(z.enum(['kiosk', 'display', 'counter', 'admin']), z.string().min(1)),
    })
    .strict(),
  z.object({ type: z.literal('failed'), message: z.string() }).strict(),
]);
export type HubReport = z.infer<typeof HubReport>;
