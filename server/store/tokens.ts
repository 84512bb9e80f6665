// Secrets: 256 random bits, shown once; only their SHA-256 is stored, so a copy of the database
// holds nothing that authenticates (a plain hash suffices for random tokens of this size).
import { createHash, randomBytes } from 'node:crypto';

export const hashToken = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/** The prefix says what a leaked token opens: `gsa_` the admin API, `gsb_` one branch's sync. */
export const newAdminToken = (): string => `gsa_${randomBytes(32).toString('base64url')}`;
export const newBranchToken = (): string => `gsb_${randomBytes(32).toString('base64url')}`;
