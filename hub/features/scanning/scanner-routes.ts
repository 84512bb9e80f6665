// The hub's serial scanner: its state, and the saved setting (used when --scanner is not given).
import { z } from 'zod';
import { Id, ScannerDto } from '../../../core/api/schemas';
import { ADMIN } from '../../api/auth';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import type { Hub } from '../../hub';

const ScannerBody = z
  .object({
    /** serial:/dev/ttyACM0?baud=9600[&suffix=cr&timeout=50&max=64&kiosk=<device id>], or null. */
    url: z
      .string()
      .min(1)
      .max(512)
      .regex(/^serial:[\x21-\x7e]+$/, 'serial:/dev/… URL')
      .nullable(),
    kioskDeviceId: Id.nullable(),
  })
  .strict();

export function registerScannerRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/scanner',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['scanning'],
        summary: "The hub's serial scanner and the kiosk it belongs to",
        response: { 200: ScannerDto, ...errorResponses },
      },
    },
    () => hub.scanner.status(),
  );

  app.put(
    '/api/v1/scanner',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['scanning'],
        summary: 'Save the scanner setting and reopen it',
        body: ScannerBody,
        response: { 200: ScannerDto, ...errorResponses },
      },
    },
    (request) => hub.scanner.update(request.body),
  );
}
