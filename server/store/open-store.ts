// Picks the store: PostgreSQL when a database URL is given, else SQLite in the data folder.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { ServerStore } from './ports';
import { PostgresStore } from './postgres/postgres-store';
import { SqliteStore, openSqliteDatabase } from './sqlite/sqlite-store';

export const SERVER_DB_FILE = 'server.db';

export interface StoreLocation {
  /** The data folder; holds server.db when no database URL is given. */
  dataDir: string;
  /** postgres://… to use PostgreSQL. */
  databaseUrl?: string | undefined;
  poolSize?: number;
  onListenError?: (error: Error) => void;
}

export async function openStore(location: StoreLocation): Promise<ServerStore> {
  if (location.databaseUrl)
    return PostgresStore.open({
      connectionString: location.databaseUrl,
      ...(location.poolSize ? { poolSize: location.poolSize } : {}),
      ...(location.onListenError ? { onListenError: location.onListenError } : {}),
    });
  mkdirSync(location.dataDir, { recursive: true });
  return new SqliteStore(openSqliteDatabase(path.join(location.dataDir, SERVER_DB_FILE)));
}
