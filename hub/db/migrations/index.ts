// Schema versions, tracked by PRAGMA user_version. One migration per version, applied in order,
// each inside its own transaction so a failed step leaves the previous version intact.
import type { Db } from '../open-database';
import { migration001 } from './001-initial';
import { migration002 } from './002-devices-and-idempotency';
import { migration003 } from './003-hardware';
import { migration004 } from './004-sync';
import { migration005 } from './005-number-blocks';
import { migration006 } from './006-next-day-blocks';
import { migration007 } from './007-queue-counts';
import { migration008 } from './008-fewer-pages-per-command';

export interface Migration {
  version: number;
  name: string;
  up(db: Db): void;
}

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
];
export const SCHEMA_VERSION = MIGRATIONS.length;

export class DatabaseTooNewError extends Error {
  constructor(readonly found: number) {
    super(
      `This database is at schema version ${found}, but this Guichet knows versions up to ${SCHEMA_VERSION}. ` +
        'It was written by a newer Guichet: upgrade Guichet on this machine instead of using an older one.',
    );
    this.name = 'DatabaseTooNewError';
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

/** Brings the database to `target` (default: the latest), one version per transaction. */
export function migrate(db: Db, target = SCHEMA_VERSION): void {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new DatabaseTooNewError(current);
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
}
