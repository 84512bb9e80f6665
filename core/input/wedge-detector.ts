/**
 * Tells a USB "keyboard wedge" barcode scanner from a person typing, by keystroke timing.
 * A scanner "types" a whole code in a burst (a few ms per key, very even) usually ended by Enter;
 * people type at 100-300 ms per key. Pure functions, no imports, no timers, no DOM: the kiosk
 * screen passes `KeyboardEvent.key` and `event.timeStamp`, tests pass numbers.
 *
 * Lives in core/ so both the kiosk screen (renderer/) and hardware/ (which re-exports it) use it.
 */

export interface Keystroke {
  /** KeyboardEvent.key: "A", "7", "-", "Enter", "Shift"... */
  key: string;
  /** Milliseconds (KeyboardEvent.timeStamp or Date.now()). */
  t: number;
}

export interface WedgeOptions {
  /** Shorter bursts are keys mashed by a person. */
  minLength: number;
  maxLength: number;
  /** Mean gap between keys of a scanner burst. */
  maxMeanIntervalMs: number;
  /** Largest single gap inside a burst; a longer pause ends it. */
  maxIntervalMs: number;
  /** Keys that end a code (scanner suffix). */
  terminators: readonly string[];
}

export const DEFAULT_WEDGE_OPTIONS: WedgeOptions = {
  minLength: 4,
  maxLength: 64,
  maxMeanIntervalMs: 35,
  maxIntervalMs: 80,
  terminators: ['Enter', 'Tab'],
};

export type BurstVerdict =
  | { scanner: true; text: string }
  | {
      scanner: false;
      text: string;
      reason: 'too_short' | 'too_long' | 'too_slow' | 'uneven' | 'not_printable';
    };

// Keys that come with shifted characters and must not break a burst.
const MODIFIERS = new Set(['Shift', 'CapsLock', 'AltGraph']);

function isPrintable(key: string): boolean {
  if (key.length !== 1) return false;
  const code = key.charCodeAt(0);
  return code >= 0x20 && code <= 0x7e;
}

/** Classifies a complete burst (terminator excluded). */
export function classifyBurst(
  keys: readonly Keystroke[],
  options: Partial<WedgeOptions> = {},
): BurstVerdict {
  const o = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  const typed = keys.filter((k) => !MODIFIERS.has(k.key));
  const text = typed.map((k) => k.key).join('');
  if (typed.some((k) => !isPrintable(k.key)))
    return { scanner: false, text, reason: 'not_printable' };
  if (typed.length < o.minLength) return { scanner: false, text, reason: 'too_short' };
  if (typed.length > o.maxLength)
    return { scanner: false, text: text.slice(0, o.maxLength), reason: 'too_long' };
  const gaps: number[] = [];
  for (let i = 1; i < typed.length; i++) gaps.push(Math.max(0, typed[i]!.t - typed[i - 1]!.t));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  if (mean > o.maxMeanIntervalMs) return { scanner: false, text, reason: 'too_slow' };
  if (Math.max(...gaps) > o.maxIntervalMs) return { scanner: false, text, reason: 'uneven' };
  return { scanner: true, text };
}

export interface WedgeDetector {
  /** Feed every keydown; returns a verdict when a burst ended (terminator or long pause). */
  push(stroke: Keystroke): BurstVerdict | null;
  /** Call from an idle timer: ends a burst with no terminator once `now` is past the gap. */
  flush(now: number): BurstVerdict | null;
  reset(): void;
}

export function createWedgeDetector(options: Partial<WedgeOptions> = {}): WedgeDetector {
  const o = { ...DEFAULT_WEDGE_OPTIONS, ...options };
  let buffer: Keystroke[] = [];

  const end = (): BurstVerdict | null => {
    const keys = buffer;
    buffer = [];
    return keys.length === 0 ? null : classifyBurst(keys, o);
  };

  return {
    push(stroke) {
      const last = buffer[buffer.length - 1];
      let verdict: BurstVerdict | null = null;
      if (last && stroke.t - last.t > o.maxIntervalMs) verdict = end();
      if (o.terminators.includes(stroke.key)) return end() ?? verdict;
      // Bound memory whatever is typed: a stuck key cannot grow the buffer forever.
      if (buffer.length <= o.maxLength) buffer.push(stroke);
      return verdict;
    },
    flush(now) {
      const last = buffer[buffer.length - 1];
      if (!last || now - last.t <= o.maxIntervalMs) return null;
      return end();
    },
    reset() {
      buffer = [];
    },
  };
}
