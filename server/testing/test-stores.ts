// Opening each store kind for a test: SQLite in a temp folder, PostgreSQL in a fresh database of
// the run's throwaway server (postgres-harness.ts). The same suites run against both.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ServerStore, StoreKind } from '../store/ports';
import { PostgresStore } from '../store/postgres/postgres-store';
import { SqliteStore, openSqliteDatabase } from '../store/sqlite/sqlite-store';
import { freshDatabase } from './postgres-harness';

export const STORE_KINDS: readonly StoreKind[] = ['sqlite', 'postgres'];

export interface TestStore {
  store: ServerStore;
  /** Opens another store on the same data (a second server instance). */
  openAnother(): Promise<ServerStore>;
  dispose(): Promise<void>;
}

export async function openTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'guichet-server-test-'));
    const file = path.join(dir, 'server.db');
    const store = new SqliteStore(openSqliteDatabase(file));
    const others: ServerStore[] = [];
    return {
      store,
      async openAnother() {
        const other = new SqliteStore(openSqliteDatabase(file));
        others.push(other);
        return other;
      },
      async dispose() {
        for (const s of [store, ...others]) await s.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const database = await freshDatabase();
  const open = () => PostgresStore.open({ connectionString: database.url, poolSize: 10 });
  const store = await open();
  const others: ServerStore[] = [];
  return {
    store,
    async openAnother() {
      const other = await open();
      others.push(other);
      return other;
    },
    async dispose() {
      for (const s of [store, ...others]) await s.close();
      await database.drop();
    },
  };
}
