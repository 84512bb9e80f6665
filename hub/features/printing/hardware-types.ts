// What the hub takes from the hardware library for printing, in one place (the library's public
// entry point only, as hardware/README.md asks).
import type { PrinterServiceConfig } from '../../../hardware/index';

export {
  PrinterService,
  PRINTER_STATES,
  JOB_STATES,
  type JobInfo,
  type PrintableTicket,
  type ServiceStatus,
} from '../../../hardware/index';
/** Queue timings (timeouts, polling, retries): hub defaults, overridden by tests. */
export type PrintQueueOptionsInput = NonNullable<PrinterServiceConfig['queue']>;
