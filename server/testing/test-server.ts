// A server app on a test store, with an admin token and helpers to create branches and call
// routes through Fastify's inject (no sockets) or, for WebSockets, a real loopback port.
import type { StoreKind, ServerStore } from '../store/ports';
import { buildServerApp } from '../api/build-app';
import type { ZodApp } from '../../http/zod-app';
import { createBranch } from '../branches/create-branch';
import { hashToken, newAdminToken } from '../store/tokens';
import { openTestStore, type TestStore } from './test-stores';

export interface Answer<T = unknown> {
  status: number;
  body: T;
}

export interface TestServer {
  kind: StoreKind;
  app: ZodApp;
  store: ServerStore;
  testStore: TestStore;
  adminToken: string;
  addBranch(name?: string): Promise<{ branchId: string; token: string }>;
  call<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options?: {
      token?: string;
      body?: unknown;
      rawBody?: string;
      headers?: Record<string, string>;
    },
  ): Promise<Answer<T>>;
  dispose(): Promise<void>;
}

export async function startTestServer(kind: StoreKind): Promise<TestServer> {
  const testStore = await openTestStore(kind);
  const { store } = testStore;
  const app = await buildServerApp(store);
  await app.ready();
  const adminToken = newAdminToken();
  await store.addAdminToken(hashToken(adminToken), Date.now());
  let branches = 0;
  return {
    kind,
    app,
    store,
    testStore,
    adminToken,
    async addBranch(name) {
      branches += 1;
      const created = await createBranch(store, { name: name ?? `Branch ${branches}` });
      return { branchId: created.branch.id, token: created.token };
    },
    async call(method, url, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let payload: string | undefined;
      if (options.rawBody !== undefined) {
        payload = options.rawBody;
        headers['content-type'] ??= 'application/json';
      } else if (options.body !== undefined) {
        payload = JSON.stringify(options.body);
        headers['content-type'] = 'application/json';
      }
      const response = await app.inject({
        method,
        url,
        headers,
        ...(payload !== undefined ? { payload } : {}),
      });
      return {
        status: response.statusCode,
        body: (response.body ? JSON.parse(response.body) : undefined) as never,
      };
    },
    async dispose() {
      await app.close();
      await testStore.dispose();
    },
  };
}
