/** Functions the hub's CLI registers as commands; each validates its options with zod. */
export {
  runSimPrinter,
  simPrinterOptionsSchema,
  type SimPrinterHandle,
  type SimPrinterOptions,
} from './sim-printer.js';
export {
  runSimScanner,
  simScannerOptionsSchema,
  type SimScannerHandle,
  type SimScannerOptions,
} from './sim-scanner.js';
export {
  doctorCliOptionsSchema,
  runDoctor,
  type DoctorCliOptions,
  type DoctorHandle,
} from './doctor.js';
