// A real hub (in this process, real HTTP and WebSocket on loopback) with the demo branch and
// hardware options, plus the small helpers the hardware suites share. Waits are bounded and
// event-driven: no test sleeps.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect } from 'vitest';
import type {
  AnyStreamMessage,
  IssuedTicketDto,
  MeDto,
  PrintJobEvent,
} from '../../core/api/schemas';
import { AnyStreamMessage as AnyStreamMessageSchema } from '../../core/api/schemas';
import { initDemoBranch, type DemoTokens } from '../../hub/branch-setup';
import { openHub } from '../../hub/hub';
import { databaseFile, startHub, type RunningHub, type StartOptions } from '../../hub/run-hub';
import { Api } from '../support/api-kit';
import { StreamClient, streamUrl } from '../support/stream-client';
import type { TestHub } from '../support/test-hub';

/** Short queue timings: a fault is noticed in tens of ms instead of seconds. */
export const FAST_QUEUE = {
  connectTimeoutMs: 300,
  statusTimeoutMs: 300,
  writeTimeoutMs: 2000,
  ackTimeoutMs: 3000,
  pollIntervalMs: 40,
  idlePollIntervalMs: 100,
  backoffInitialMs: 20,
  backoffMaxMs: 150,
} as const;

export type HardwareHubOptions = Partial<
  Pick<StartOptions, 'printer' | 'publicUrl' | 'scanner' | 'printerQueue'>
>;

export async function startHardwareHub(options: HardwareHubOptions = {}): Promise<TestHub> {
  const dir = mkdtempSync(path.join(tmpdir(), 'guichet-hw-test-'));
  const setup = openHub(databaseFile(dir));
  let tokens: DemoTokens;
  try {
    tokens = initDemoBranch(setup).tokens;
  } finally {
    setup.close();
  }
  let running: RunningHub;
  try {
    running = await startHub({
      dataDir: dir,
      host: '127.0.0.1',
      port: 0,
      screensDir: path.join(dir, 'no-screens'),
      printerQueue: FAST_QUEUE,
      ...options,
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    ...running,
    dir,
    tokens,
    dispose: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function kioskDeviceId(api: Api): Promise<string> {
  const me = await api.get<MeDto>(api.kiosk, '/api/v1/me');
  expect(me.status).toBe(200);
  return me.body.deviceId;
}

export async function setKioskPrinter(
  api: Api,
  deviceId: string,
  printer: { url: string; paperWidthMm?: 58 | 80 } | null,
): Promise<void> {
  const answer = await api.request('PUT', `/api/v1/devices/${deviceId}/printer`, {
    token: api.admin,
    body: { printer },
  });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A kiosk tap: POST /api/v1/tickets as the kiosk; fails the test unless 201. */
export async function kioskIssue(api: Api, serviceId = 'etat-civil'): Promise<IssuedTicketDto> {
  const answer = await api.post<IssuedTicketDto>(api.kiosk, '/api/v1/tickets', { serviceId });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

export async function openStream(hub: TestHub, token: string): Promise<StreamClient> {
  const client = await StreamClient.open(streamUrl(hub), { authorization: `Bearer ${token}` });
  await client.waitForCount(1);
  return client;
}

/** Messages of the stream parsed with the full schema (logged and live ones). */
export function parsed(client: StreamClient): AnyStreamMessage[] {
  return client.messages.flatMap((m) => {
    const result = AnyStreamMessageSchema.safeParse(m);
    return result.success ? [result.data] : [];
  });
}

export function isJob(jobId: string, state?: PrintJobEvent['state']): (m: unknown) => boolean {
  return (m) => {
    const r = AnyStreamMessageSchema.safeParse(m);
    return (
      r.success &&
      r.data.type === 'print.job' &&
      r.data.jobId === jobId &&
      (state === undefined || r.data.state === state)
    );
  };
}

/** Polls an async condition every `everyMs` until true; throws after `timeoutMs`. */
export async function eventually<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  what: string,
  timeoutMs = 5000,
  everyMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
