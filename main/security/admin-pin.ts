// The admin PIN guards the setup screen and the staff exit. Stored only as a scrypt hash with its
// own salt (a PIN has few digits, so a fast hash would fall to a brute force in seconds), compared
// in constant time, and wrong guesses slow the next try down.
import {
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';
import { z } from 'zod';

export const PinSchema = z.string().regex(/^\d{6,12}$/, 'the PIN is 6 to 12 digits');

export const PinHashSchema = z
  .object({
    algorithm: z.literal('scrypt'),
    N: z
      .number()
      .int()
      .min(1024)
      .max(1 << 20),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string().min(16).max(128),
    hash: z.string().min(32).max(256),
  })
  .strict();
export type PinHash = z.infer<typeof PinHashSchema>;

const COST = { N: 1 << 15, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

function scrypt(pin: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCallback(
      pin,
      salt,
      KEY_LENGTH,
      { ...options, maxmem: 256 * options.N! * options.r! },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

export async function hashPin(
  pin: string,
  cost: { N: number; r: number; p: number } = COST,
): Promise<PinHash> {
  PinSchema.parse(pin);
  const salt = randomBytes(16);
  const key = await scrypt(pin, salt, cost);
  return {
    algorithm: 'scrypt',
    ...cost,
    salt: salt.toString('base64'),
    hash: key.toString('base64'),
  };
}

export async function verifyPin(pin: string, stored: PinHash): Promise<boolean> {
  if (!PinSchema.safeParse(pin).success) return false;
  const expected = Buffer.from(stored.hash, 'base64');
  const key = await scrypt(pin, Buffer.from(stored.salt, 'base64'), stored);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Wrong PINs in a row make the next try wait: none for the first 3, then 1 s, 2 s, 4 s … up to
 * 5 minutes. A passer-by cannot guess a 6-digit PIN at the kiosk; staff who mistype are not
 * locked out for long.
 */
export class PinAttemptLimiter {
  private failures = 0;
  private lockedUntil = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /** Milliseconds to wait before a try is accepted; 0 when a try may be made now. */
  waitMs(): number {
    return Math.max(0, this.lockedUntil - this.now());
  }

  record(success: boolean): void {
    if (success) {
      this.failures = 0;
      this.lockedUntil = 0;
      return;
    }
    this.failures += 1;
    if (this.failures > 3) {
      const delay = Math.min(1000 * 2 ** (this.failures - 4), 5 * 60_000);
      this.lockedUntil = this.now() + delay;
    }
  }
}
