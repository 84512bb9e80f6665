// The branch secret that signs appointment and ticket codes. Migration 003 makes it once; it is
// read here and handed to hardware's signCode/verifyCode, and goes nowhere else (no log, no API).
import type { Db } from '../../db/open-database';

export function readCodeSecret(db: Db): Buffer {
  const row = db
    .prepare<[], { value: string }>("SELECT value FROM meta WHERE key = 'code_secret'")
    .get();
  // Migration 003 writes it; a database without it was tampered with, and signing must not guess.
  if (!row || !/^[0-9a-f]{64}$/.test(row.value))
    throw new Error('The branch code secret is missing from the database (meta.code_secret).');
  return Buffer.from(row.value, 'hex');
}
