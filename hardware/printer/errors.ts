/**
 * Distinct error classes so callers (queue, service, doctor, hub) can branch on the kind of
 * failure without parsing messages. `retryable` tells the print queue whether waiting and
 * trying again can help; `bytesMayHaveReachedPrinter` tells it whether a retry risks a duplicate.
 */
export class PrinterError extends Error {
  /** Stable machine-readable code, shown in admin and logs. */
  readonly code: string = 'printer_error';
  readonly retryable: boolean = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The URL or configuration does not describe a printer we can talk to. Never retryable. */
export class InvalidPrinterUrlError extends PrinterError {
  override readonly code = 'invalid_url';
  override readonly retryable = false;
}

/** Could not connect, or the connection/device went away (cable pulled, printer switched off). */
export class PrinterDisconnectedError extends PrinterError {
  override readonly code = 'disconnected';
}

/** The printer did not answer (or did not accept data) within the allowed time. */
export class PrinterTimeoutError extends PrinterError {
  override readonly code = 'timeout';
}

/** The printer answered but is not ready: offline, cover open or out of paper. */
export class PrinterOfflineError extends PrinterError {
  override readonly code = 'offline';
}

/** The printer answered something that is not a valid status byte. */
export class PrinterProtocolError extends PrinterError {
  override readonly code = 'protocol';
}

/** The transport cannot read (e.g. a write-only device file), so status is unknown. */
export class PrinterStatusUnsupportedError extends PrinterError {
  override readonly code = 'status_unsupported';
  override readonly retryable = false;
}

/** The service or queue was closed while the operation was pending. */
export class PrinterClosedError extends PrinterError {
  override readonly code = 'closed';
  override readonly retryable = false;
}

/** A font needed to draw text as a raster image is not installed. */
export class MissingFontError extends PrinterError {
  override readonly code = 'missing_font';
  override readonly retryable = false;
}
