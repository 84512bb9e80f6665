// Printer routes: admin's overview and settings, the kiosk's own printer light, reprint and test.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import {
  DevicePrinterDto,
  Id,
  PAPER_WIDTHS,
  PrinterDto,
  PrinterStatusDto,
  PRINTER_TYPES,
  PrintInfoDto,
} from '../../../core/api/schemas';
import { printerUrlSchema } from '../../../hardware/index';
import { actorOf, ADMIN, COUNTER_OR_ADMIN, READ_ROLES } from '../../api/auth';
import { idempotent } from '../../api/idempotent';
import { errorResponses, type ZodApp } from '../../../http/zod-app';
import { IdParams } from '../../api/params';
import type { Hub } from '../../hub';
import { afterAnswer, afterCommitSink, refreshedPrint } from './print-after-commit';
import { publicBaseOf } from './printable-ticket';
import { printerIdOf, type DevicePrinter } from './printer-settings-store';
import type { ReprintPlan } from './ticket-printing';

const PaperWidth = z.union(
  PAPER_WIDTHS.map((w) => z.literal(w)) as [z.ZodLiteral<58>, z.ZodLiteral<80>],
);

const SetPrinterBody = z
  .object({
    /** null clears the kiosk's own printer (it then prints on the hub's default, if any). */
    printer: z
      .object({
        url: printerUrlSchema,
        paperWidthMm: PaperWidth.default(80),
        printerType: z.enum(PRINTER_TYPES).default('epson'),
      })
      .strict()
      .nullable(),
  })
  .strict();

const ReprintBody = z
  .object({ kioskId: Id.optional() })
  .strict()
  .nullish()
  .describe('optional: print on this kiosk’s printer instead of the issuing kiosk’s');
const TestPrintBody = z
  .object({ deviceId: Id.optional() })
  .strict()
  .nullish()
  .describe('optional: the kiosk whose printer to test (default: the hub’s default printer)');

const devicePrinterDto = (deviceId: string, saved: DevicePrinter | null): DevicePrinterDto => ({
  deviceId,
  printer: saved
    ? {
        printerId: printerIdOf(saved.url),
        url: saved.url,
        paperWidthMm: saved.paperWidthMm,
        printerType: saved.printerType,
      }
    : null,
});

export function registerPrintingRoutes(app: ZodApp, hub: Hub): void {
  app.get(
    '/api/v1/printers',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['printing'],
        summary: 'Every configured printer: status and waiting jobs',
        response: { 200: z.array(PrinterDto), ...errorResponses },
      },
    },
    () => hub.printing.list(),
  );

  app.get(
    '/api/v1/me/printer',
    {
      config: { roles: READ_ROLES },
      schema: {
        tags: ['printing'],
        summary: "The calling kiosk's printer status (null: it has none)",
        response: { 200: PrinterStatusDto.nullable(), ...errorResponses },
      },
    },
    (request) => hub.printing.statusFor(actorOf(request)),
  );

  app.put(
    '/api/v1/devices/:id/printer',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['printing'],
        summary: "Set or clear a kiosk's printer",
        params: IdParams,
        body: SetPrinterBody,
        response: { 200: DevicePrinterDto, ...errorResponses },
      },
    },
    async (request) => {
      const saved = hub.printerSettings.set(
        request.params.id,
        request.body.printer,
        actorOf(request),
      );
      // The old printer (if no one else uses it) is closed; the new one starts on first use.
      await hub.printing.settingsChanged();
      return devicePrinterDto(request.params.id, saved);
    },
  );

  const planned = (hubPlan: () => ReprintPlan) => {
    let plan: ReprintPlan | null = null;
    return {
      execute: () => {
        plan = hubPlan();
        return { statusCode: 202, body: plan.planned };
      },
      finish:
        (request: FastifyRequest) =>
        (body: unknown, replayed: boolean): unknown => {
          if (replayed || !plan) return refreshedPrint(hub, { print: body }).print;
          const run = plan.run;
          const base = hub.printing.baseUrl(publicBaseOf(request));
          afterAnswer(
            () => run(base),
            (error) => request.log.warn({ err: error }, 'reprint failed'),
          );
          return body;
        },
    };
  };

  app.post(
    '/api/v1/tickets/:id/reprint',
    {
      config: { roles: COUNTER_OR_ADMIN },
      schema: {
        tags: ['printing'],
        summary: 'Print a ticket again (a new job: ticket-<id>-<n>)',
        params: IdParams,
        body: ReprintBody,
        response: { 202: PrintInfoDto, ...errorResponses },
      },
    },
    (request, reply) => {
      const job = planned(() =>
        hub.printing.planReprint(request.params.id, actorOf(request), request.body?.kioskId),
      );
      idempotent(hub, request, afterCommitSink(reply, job.finish(request)), job.execute);
    },
  );

  app.post(
    '/api/v1/printers/test',
    {
      config: { roles: ADMIN },
      schema: {
        tags: ['printing'],
        summary: 'Print a test ticket',
        body: TestPrintBody,
        response: { 202: PrintInfoDto, ...errorResponses },
      },
    },
    (request, reply) => {
      const job = planned(() => hub.printing.planTest(actorOf(request), request.body?.deviceId));
      idempotent(hub, request, afterCommitSink(reply, job.finish(request)), job.execute);
    },
  );
}
