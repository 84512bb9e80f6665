// Helpers for the API suites (tests/api): a small client bound to one test hub, the error-shape
// check, a fingerprint of everything the hub stores, and waiting on a condition without sleeping.
import { expect } from 'vitest';
import { ErrorBody, type TicketDto, type TicketWithPositionDto } from '../../core/api/schemas';
import { call, type ApiAnswer, type TestHub } from './test-hub';

export type CallOptions = NonNullable<Parameters<typeof call>[3]>;

/** The token of one demo counter device. */
export function counterToken(hub: TestHub, counterId: string): string {
  const token = hub.tokens.counters[counterId];
  if (!token) throw new Error(`the demo branch has no device for ${counterId}`);
  return token;
}

/** A client bound to one hub. */
export class Api {
  constructor(readonly hub: TestHub) {}

  request<T = unknown>(
    method: string,
    route: string,
    options: CallOptions = {},
  ): Promise<ApiAnswer<T>> {
    return call<T>(this.hub.url, method, route, options);
  }

  get<T = unknown>(token: string | undefined, route: string, headers?: Record<string, string>) {
    return this.request<T>('GET', route, {
      ...(token ? { token } : {}),
      ...(headers ? { headers } : {}),
    });
  }

  post<T = unknown>(
    token: string | undefined,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
  ) {
    return this.request<T>('POST', route, {
      ...(token ? { token } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(headers ? { headers } : {}),
    });
  }

  patch<T = unknown>(token: string | undefined, route: string, body: unknown) {
    return this.request<T>('PATCH', route, { ...(token ? { token } : {}), body });
  }

  get admin(): string {
    return this.hub.tokens.admin;
  }

  get kiosk(): string {
    return this.hub.tokens.kiosk;
  }

  get display(): string {
    return this.hub.tokens.display;
  }

  counter(counterId: string): string {
    return counterToken(this.hub, counterId);
  }

  /** Issues a ticket as the admin (or the given device); fails the test unless it is 201. */
  async issue(
    serviceId: string,
    options: { priority?: boolean; token?: string } = {},
  ): Promise<TicketWithPositionDto> {
    const answer = await this.post<TicketWithPositionDto>(
      options.token ?? this.admin,
      '/api/v1/tickets',
      {
        serviceId,
        ...(options.priority !== undefined ? { priority: options.priority } : {}),
      },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  /** call-next as the counter's own device: the ticket, or null on 204. */
  async callNext(counterId: string): Promise<TicketDto | null> {
    const answer = await this.post<{ ticket: TicketDto }>(
      this.counter(counterId),
      `/api/v1/counters/${counterId}/call-next`,
    );
    if (answer.status === 204) return null;
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    return answer.body.ticket;
  }

  /** A ticket step (finish, start, …) as the given device; fails the test unless it is 200. */
  async step(token: string, ticketId: string, step: string, body?: unknown): Promise<TicketDto> {
    const answer = await this.post<TicketDto>(token, `/api/v1/tickets/${ticketId}/${step}`, body);
    expect(answer.status, `${step}: ${JSON.stringify(answer.body)}`).toBe(200);
    return answer.body;
  }

  async ticket(ticketId: string): Promise<TicketWithPositionDto> {
    const answer = await this.get<TicketWithPositionDto>(this.admin, `/api/v1/tickets/${ticketId}`);
    expect(answer.status).toBe(200);
    return answer.body;
  }

  /** Frees a counter: finishes what it holds (as admin) and resumes it. */
  async freeCounter(counterId: string): Promise<void> {
    const counters = await this.get<{ id: string; currentTicket: TicketDto | null }[]>(
      this.admin,
      '/api/v1/counters',
    );
    const held = counters.body.find((c) => c.id === counterId)?.currentTicket;
    if (held) await this.step(this.admin, held.id, 'finish');
    const resumed = await this.post(this.admin, `/api/v1/counters/${counterId}/resume`);
    expect(resumed.status).toBe(200);
  }

  /** Cancels every waiting ticket and finishes every held one, so a scenario starts from empty. */
  async drain(): Promise<void> {
    const queue = await this.get<{
      waiting: TicketDto[];
      called: TicketDto[];
      serving: TicketDto[];
    }>(this.admin, '/api/v1/queue');
    for (const t of queue.body.waiting) await this.step(this.admin, t.id, 'cancel');
    for (const t of [...queue.body.called, ...queue.body.serving]) {
      await this.step(this.admin, t.id, 'finish');
    }
  }
}

/** Asserts `{"error":{"code","message"}}` (and, when given, the code). */
export function expectError(answer: ApiAnswer, status: number, code?: string): void {
  const what = `${status} ${code ?? ''} got ${answer.status} ${JSON.stringify(answer.body)}`;
  expect(answer.status, what).toBe(status);
  const parsed = ErrorBody.safeParse(answer.body);
  expect(parsed.success, `error shape: ${JSON.stringify(answer.body)}`).toBe(true);
  expect(Object.keys(answer.body as object), what).toEqual(['error']);
  if (parsed.success) {
    expect(parsed.data.error.message.length).toBeGreaterThan(0);
    if (code !== undefined) expect(parsed.data.error.code, what).toBe(code);
  }
}

const TABLES = [
  'branch',
  'services',
  'counters',
  'counter_services',
  'tickets',
  'events',
  'devices',
  'device_tokens',
  'pairing_codes',
  'idempotency_keys',
] as const;

/**
 * Everything the hub stores, read straight from its SQLite (the test hub runs in-process), plus
 * what the admin reads over the API: two fingerprints are equal when nothing was written.
 */
export async function fingerprint(api: Api): Promise<unknown> {
  const db = api.hub.hub.ctx.db;
  const tables = Object.fromEntries(
    TABLES.map((table) => [table, db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()]),
  );
  const queue = await api.get(api.admin, '/api/v1/queue');
  const services = await api.get<{ id: string; prefix: string; open: boolean; waiting: number }[]>(
    api.admin,
    '/api/v1/services',
  );
  expect(queue.status).toBe(200);
  expect(services.status).toBe(200);
  return {
    tables,
    queue: queue.body,
    services: services.body.map(({ id, prefix, open, waiting }) => ({ id, prefix, open, waiting })),
  };
}

export function countRows(api: Api, table: (typeof TABLES)[number], where = '1 = 1'): number {
  const row = api.hub.hub.ctx.db
    .prepare<[], { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`)
    .get();
  return row?.n ?? 0;
}

/** Waits until `check` returns a value (not undefined), polling on the event loop, or throws. */
export async function waitFor<T>(
  check: () => T | undefined,
  what: string,
  timeoutMs = 5_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
  }
}
