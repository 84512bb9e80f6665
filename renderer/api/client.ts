// The typed hub client: the ONLY way screens reach the hub (with stream.ts for live events).
// One method per route of docs/api.md; every POST takes the Idempotency-Key of the user action.
import { z } from 'zod';
import {
  AgentSyncStateDto,
  BranchDto,
  CallNextResponse,
  CounterDto,
  AppointmentDto,
  CreatedAppointmentDto,
  CreatedDeviceDto,
  DeviceDto,
  DevicePrinterDto,
  IssuedTicketDto,
  MeDto,
  PrintInfoDto,
  PrinterDto,
  PrinterStatusDto,
  PublicTicketDto,
  QueueDto,
  ScannerDto,
  ServiceDto,
  SyncStatusDto,
  TicketDto,
  TicketWithPositionDto,
  TodayStatsDto,
  type IssueTicketBody,
  type Role,
  type TransferBody,
} from '../../core/api/schemas';
import { createHttp, type HttpOptions } from './http';
import { CheckInResponse } from './extra-schemas';

const V1 = '/api/v1';
const seg = (id: string) => encodeURIComponent(id);
const Anything = z.unknown();

export type PairCredentials = { token: string } | { code: string };
export type TicketAction = 'recall' | 'start' | 'finish' | 'no-show' | 'cancel';

export interface BranchPatch {
  name?: string;
  languages?: string[];
  defaultLang?: string;
  capacity?: number | null;
  priorityEnabled?: boolean;
  inactivityTimeoutSec?: number;
  announcementTemplates?: Record<string, string>;
  priorityCap?: number;
  agingThresholdSec?: number;
  maxRecalls?: number;
}

export interface ServicePatch {
  prefix?: string;
  name?: Record<string, string>;
  open?: boolean;
  position?: number;
}

export interface PrinterSetting {
  url: string;
  paperWidthMm?: 58 | 80;
  printerType?: 'epson' | 'star';
}

export interface CounterInput {
  name: string;
  profile: { serviceId: string; weight: number }[];
}

export function createHubClient(options: HttpOptions = {}) {
  const http = createHttp(options);
  const get = <T>(path: string, schema: z.ZodType<T>) =>
    http.send({ method: 'GET', path: V1 + path, schema });
  const post = <T>(path: string, key: string, schema: z.ZodType<T>, body?: unknown) =>
    http.send({ method: 'POST', path: V1 + path, schema, body, idempotencyKey: key });
  const patch = <T>(path: string, key: string, schema: z.ZodType<T>, body: unknown) =>
    http.send({ method: 'PATCH', path: V1 + path, schema, body, idempotencyKey: key });
  const put = <T>(path: string, key: string, schema: z.ZodType<T>, body: unknown) =>
    http.send({ method: 'PUT', path: V1 + path, schema, body, idempotencyKey: key });

  return {
    pair: (credentials: PairCredentials, key: string) => post('/pair', key, MeDto, credentials),
    unpair: (key: string) =>
      http.sendMaybe({
        method: 'POST',
        path: `${V1}/unpair`,
        schema: Anything,
        idempotencyKey: key,
      }),
    me: () => get('/me', MeDto),

    branch: () => get('/branch', BranchDto),
    patchBranch: (body: BranchPatch, key: string) => patch('/branch', key, BranchDto, body),

    services: () => get('/services', z.array(ServiceDto)),
    createService: (
      body: { prefix: string; name: Record<string, string>; open?: boolean },
      key: string,
    ) => post('/services', key, ServiceDto, body),
    patchService: (id: string, body: ServicePatch, key: string) =>
      patch(`/services/${seg(id)}`, key, ServiceDto, body),

    counters: () => get('/counters', z.array(CounterDto)),
    createCounter: (body: CounterInput, key: string) => post('/counters', key, CounterDto, body),
    patchCounter: (id: string, body: Partial<CounterInput>, key: string) =>
      patch(`/counters/${seg(id)}`, key, CounterDto, body),
    pauseCounter: (id: string, key: string) => post(`/counters/${seg(id)}/pause`, key, CounterDto),
    resumeCounter: (id: string, key: string) =>
      post(`/counters/${seg(id)}/resume`, key, CounterDto),
    /** null when nobody waits for this counter (204). */
    callNext: async (counterId: string, key: string) => {
      const answer = await http.sendMaybe({
        method: 'POST',
        path: `${V1}/counters/${seg(counterId)}/call-next`,
        schema: CallNextResponse,
        idempotencyKey: key,
      });
      return answer?.ticket ?? null;
    },
    callTicket: async (counterId: string, ticketId: string, key: string) =>
      (await post(`/counters/${seg(counterId)}/call`, key, CallNextResponse, { ticketId })).ticket,

    issueTicket: (body: IssueTicketBody, key: string) =>
      post('/tickets', key, IssuedTicketDto, body),
    ticket: (id: string) => get(`/tickets/${seg(id)}`, TicketWithPositionDto),
    ticketAction: (id: string, action: TicketAction, key: string) =>
      post(`/tickets/${seg(id)}/${action}`, key, TicketDto),
    transfer: (id: string, body: TransferBody, key: string) =>
      post(`/tickets/${seg(id)}/transfer`, key, TicketDto, body),
    /** 409 already_checked_in carries the first ticket (see issue-problems.ts). */
    checkIn: (code: string, key: string) =>
      post('/appointments/check-in', key, CheckInResponse, { code }),
    /** A ticket's signed code (GT1-…), as printed and scanned. */
    ticketByCode: (code: string) => get(`/tickets/by-code/${seg(code)}`, TicketWithPositionDto),
    reprint: (ticketId: string, key: string) =>
      post(`/tickets/${seg(ticketId)}/reprint`, key, PrintInfoDto, {}),

    /** This device's printer, or null (none, or not a kiosk). */
    myPrinter: async () =>
      (await http.sendMaybe({
        method: 'GET',
        path: `${V1}/me/printer`,
        schema: PrinterStatusDto.nullable(),
      })) ?? null,
    printers: () => get('/printers', z.array(PrinterDto)),
    setDevicePrinter: (deviceId: string, printer: PrinterSetting | null, key: string) =>
      put(`/devices/${seg(deviceId)}/printer`, key, DevicePrinterDto, { printer }),
    testPrint: (deviceId: string | undefined, key: string) =>
      post('/printers/test', key, PrintInfoDto, deviceId ? { deviceId } : {}),
    scanner: () => get('/scanner', ScannerDto),

    createAppointment: (body: { serviceId: string; at: string; lang?: string }, key: string) =>
      post('/appointments', key, CreatedAppointmentDto, body),
    /** `date`: YYYY-MM-DD in the branch's zone (the hub's today when omitted). */
    appointments: (date?: string) =>
      get(
        `/appointments${date ? `?date=${encodeURIComponent(date)}` : ''}`,
        z.array(AppointmentDto),
      ),
    /** The follow-up page's data (no token needed; screens may read it too). */
    publicTicket: (id: string) => get(`/public/tickets/${seg(id)}`, PublicTicketDto),

    queue: () => get('/queue', QueueDto),

    devices: () => get('/devices', z.array(DeviceDto)),
    createDevice: (body: { role: Role; name?: string; counterId?: string }, key: string) =>
      post('/devices', key, CreatedDeviceDto, body),
    revokeDevice: (id: string, key: string) => post(`/devices/${seg(id)}/revoke`, key, DeviceDto),

    statsToday: () => get('/stats/today', TodayStatsDto),

    /** The hub's link to the central server (admin). */
    syncStatus: () => get('/sync/status', SyncStatusDto),
    /** Each kiosk agent's sync state, with the events the hub refused (admin). */
    syncAgents: () => get('/sync/agents', z.array(AgentSyncStateDto)),
  };
}

export type HubClient = ReturnType<typeof createHubClient>;
