/**
 * Cuts a serial byte stream into scanned codes. Pure and synchronous (the reader owns the
 * timer), so every rule is unit-testable:
 *  - a code ends at CR or LF (suffix cr/lf/crlf; a CRLF pair gives one code), or, with suffix
 *    "none", when no byte arrived for the inter-byte timeout;
 *  - with a suffix, bytes followed by silence and no suffix are half a code: rejected;
 *  - at most `maxLength` characters are kept, the rest of an overlong code is counted and refused;
 *  - only printable ASCII is a valid code; anything else (binary noise, a wrong baud rate's
 *    garbage) is refused with a reason, never thrown.
 */
export const SCANNER_SUFFIXES = ['cr', 'lf', 'crlf', 'none'] as const;
export type ScannerSuffix = (typeof SCANNER_SUFFIXES)[number];

export type FrameRejectReason = 'too_long' | 'not_printable' | 'incomplete';

export type FrameEvent =
  | { type: 'code'; text: string }
  | { type: 'rejected'; reason: FrameRejectReason; preview: string; length: number };

/** Escapes bytes for a log line: printable ASCII as is, the rest as \xNN, cut to 40 bytes. */
export function previewBytes(bytes: readonly number[]): string {
  const shown = bytes
    .slice(0, 40)
    .map((b) =>
      b >= 0x20 && b <= 0x7e && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
  return bytes.length > 40 ? `${shown}…` : shown;
}

export class ScanFramer {
  private bytes: number[] = [];
  private length = 0;
  private notPrintable = false;

  constructor(
    private readonly suffix: ScannerSuffix,
    private readonly maxLength: number,
  ) {}

  /** True while part of a code is buffered (the reader then arms the inter-byte timer). */
  get inProgress(): boolean {
    return this.length > 0;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const events: FrameEvent[] = [];
    for (const b of chunk) {
      if (this.suffix !== 'none' && (b === 0x0d || b === 0x0a)) {
        if (this.length > 0) events.push(this.end());
        continue;
      }
      this.length++;
      if (b < 0x20 || b > 0x7e) this.notPrintable = true;
      // Keep a little more than maxLength so the preview shows what was sent.
      if (this.bytes.length < this.maxLength + 8) this.bytes.push(b);
    }
    return events;
  }

  /** The inter-byte timeout elapsed with a code in progress. */
  timeout(): FrameEvent[] {
    if (this.length === 0) return [];
    if (this.suffix === 'none') return [this.end()];
    const event: FrameEvent = {
      type: 'rejected',
      reason: 'incomplete',
      preview: previewBytes(this.bytes),
      length: this.length,
    };
    this.reset();
    return [event];
  }

  private end(): FrameEvent {
    const bytes = this.bytes;
    const length = this.length;
    const notPrintable = this.notPrintable;
    this.reset();
    if (length > this.maxLength)
      return { type: 'rejected', reason: 'too_long', preview: previewBytes(bytes), length };
    if (notPrintable)
      return { type: 'rejected', reason: 'not_printable', preview: previewBytes(bytes), length };
    return { type: 'code', text: String.fromCharCode(...bytes) };
  }

  private reset(): void {
    this.bytes = [];
    this.length = 0;
    this.notPrintable = false;
  }
}
