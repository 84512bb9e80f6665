import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac-sha256';

/**
 * Codes printed on appointment confirmations and tickets, scanned back at the kiosk:
 *
 *     GA1-7K3Q9-X4M2B8RT0C        G = Guichet, A = appointment (T = ticket), 1 = format version
 *          id       signature     signature = first 50 bits of HMAC-SHA256(branch secret), base32
 *
 * Uppercase letters, digits and "-" only: QR alphanumeric mode (small symbols), every barcode
 * scanner keyboard layout, and hand typing. The signature alphabet is Crockford's base32 (no I,
 * L, O, U) so it cannot be misread. A forged or mistyped code fails verification; 50 bits make
 * guessing a valid one hopeless at kiosk speed. Verification never throws on any input.
 */

export const CODE_KINDS = { appointment: 'A', ticket: 'T' } as const;
export type CodeKind = keyof typeof CODE_KINDS;

export const MAX_ID_LENGTH = 20;
const MAC_LENGTH = 10; // 10 × 5 bits
const VERSION = '1';
/** Longest valid code: "GA1-" + id + "-" + mac. Anything longer is refused before parsing. */
export const MAX_CODE_LENGTH = 4 + MAX_ID_LENGTH + 1 + MAC_LENGTH;
const MIN_SECRET_BYTES = 16;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_PATTERN = /^[A-Z0-9]{1,20}$/;
const CODE_PATTERN = /^G([A-Z])([0-9])-([A-Z0-9]{1,20})-([0-9A-Z]{10})$/;

export type VerifyFailure =
  | 'not_a_string'
  | 'empty'
  | 'too_long'
  | 'bad_characters'
  | 'malformed'
  | 'unknown_version'
  | 'unknown_kind'
  | 'bad_signature';

export type VerifyResult =
  { ok: true; kind: CodeKind; id: string } | { ok: false; reason: VerifyFailure };

/** Human messages for the kiosk and counter (the hub translates by reason). */
export const VERIFY_FAILURE_MESSAGES: Record<VerifyFailure, string> = {
  not_a_string: 'This is not a Guichet code.',
  empty: 'Nothing was scanned.',
  too_long: 'This code is too long to be a Guichet code.',
  bad_characters: 'This code contains characters a Guichet code never has.',
  malformed: 'This is not a Guichet code, or part of it is missing.',
  unknown_version: 'This code was made by a newer version of Guichet.',
  unknown_kind: 'This code is of an unknown kind.',
  bad_signature: 'This code is not valid here: it was mistyped or forged.',
};

function secretBytes(secret: string | Uint8Array): Buffer {
  const bytes = typeof secret === 'string' ? Buffer.from(secret, 'utf8') : Buffer.from(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new TypeError(`code secret must be at least ${MIN_SECRET_BYTES} bytes`);
  }
  return bytes;
}

function mac(kindLetter: string, id: string, secret: Buffer): string {
  const digest = hmacSha256(secret, `guichet-code|v${VERSION}|${kindLetter}|${id}`);
  // Base32 of the first 50 bits.
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of digest) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < MAC_LENGTH) {
      out += CROCKFORD[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length === MAC_LENGTH) break;
  }
  return out;
}

/** Signs an id (1-20 of A-Z, 0-9). Throws TypeError on an invalid id or a short secret. */
export function signCode(kind: CodeKind, id: string, secret: string | Uint8Array): string {
  const letter = CODE_KINDS[kind];
  if (!letter) throw new TypeError(`unknown code kind: ${String(kind)}`);
  if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
    throw new TypeError(`code id must be 1-${MAX_ID_LENGTH} characters A-Z, 0-9`);
  }
  return `G${letter}${VERSION}-${id}-${mac(letter, id, secretBytes(secret))}`;
}

/** Checks a scanned or typed code. Never throws for any `code` value. */
export function verifyCode(code: unknown, secret: string | Uint8Array): VerifyResult {
  const key = secretBytes(secret); // a bad secret is a configuration bug: throw, loudly
  if (typeof code !== 'string') return { ok: false, reason: 'not_a_string' };
  // Scanners add CR/LF and spaces; nothing else is forgiven (a changed character must fail).
  const trimmed = code.length > MAX_CODE_LENGTH * 4 ? code : code.trim();
  if (trimmed.length === 0) return { ok: false, reason: 'empty' };
  if (trimmed.length > MAX_CODE_LENGTH) return { ok: false, reason: 'too_long' };
  if (!/^[A-Z0-9-]+$/.test(trimmed)) return { ok: false, reason: 'bad_characters' };
  const m = CODE_PATTERN.exec(trimmed);
  if (!m) return { ok: false, reason: 'malformed' };
  const [, letter, version, id, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (version !== VERSION) return { ok: false, reason: 'unknown_version' };
  const kind = (Object.keys(CODE_KINDS) as CodeKind[]).find((k) => CODE_KINDS[k] === letter);
  if (!kind) return { ok: false, reason: 'unknown_kind' };
  const expected = Buffer.from(mac(letter, id, key), 'ascii');
  const given = Buffer.from(signature, 'ascii');
  // Same length by construction (regex), so timingSafeEqual cannot throw.
  if (!timingSafeEqual(expected, given)) return { ok: false, reason: 'bad_signature' };
  return { ok: true, kind, id };
}
