/**
 * Guichet lobby hardware: thermal printers, serial scanners, signed codes, simulators and
 * diagnostics. The hub imports from here only; see hardware/README.md.
 */
export {
  PrinterService,
  printerServiceConfigSchema,
  type PrinterServiceConfig,
  type ServiceStatus,
  type PrintOptions,
} from './printer/service.js';
export {
  printableTicketSchema,
  renderTicket,
  ticketLayoutOptionsSchema,
  type PrintableTicket,
  type TicketLayoutOptions,
} from './printer/ticket.js';
export {
  JOB_STATES,
  PRINTER_STATES,
  type JobInfo,
  type JobState,
  type PrinterState,
  type PrinterStatus,
} from './printer/queue.js';
export type { PrinterStatusFlags } from './printer/status.js';
/** In-memory printers for the hub's own tests: MockPrinter.create('k1') then url 'mock:k1'. */
export { MockPrinter } from './printer/transports/mock.js';
export { PrinterEmulator } from './sim/printer-emulator.js';
export {
  parsePrinterUrl,
  printerUrlSchema,
  tryParsePrinterUrl,
  formatPrinterTarget,
  type PrinterTarget,
} from './printer/url.js';
export {
  PrinterError,
  InvalidPrinterUrlError,
  PrinterDisconnectedError,
  PrinterTimeoutError,
  PrinterOfflineError,
  PrinterProtocolError,
  PrinterStatusUnsupportedError,
  PrinterClosedError,
  MissingFontError,
} from './printer/errors.js';
export {
  ScannerReader,
  type ScanCode,
  type ScanRejected,
  type ScannerStatus,
  type ScanValidator,
} from './scanner/scanner-reader.js';
export { parseScannerUrl, scannerConfigSchema, type ScannerConfig } from './scanner/config.js';
export {
  signCode,
  verifyCode,
  VERIFY_FAILURE_MESSAGES,
  type CodeKind,
  type VerifyResult,
} from './codes/signed-code.js';
export { runDoctorChecks, formatDoctorReport, type DoctorReport } from './doctor.js';
export * from './cli/index.js';
/**
 * The keyboard-wedge scanner detector lives in core/input/ (pure, shared with the kiosk screen,
 * which may not import hardware/); re-exported here so hardware users keep one entry point.
 */
export {
  classifyBurst,
  createWedgeDetector,
  DEFAULT_WEDGE_OPTIONS,
  type BurstVerdict,
  type Keystroke,
  type WedgeDetector,
  type WedgeOptions,
} from '../core/input/wedge-detector.js';
