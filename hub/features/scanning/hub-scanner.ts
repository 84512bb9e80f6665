// The serial barcode scanner plugged into the hub machine. Each code it reads is presented at the
// kiosk the scanner belongs to (check-in or ticket lookup) and the outcome goes to that kiosk's
// stream as `scanner.result`; whatever the line carries (noise, half codes) is a refusal there,
// never an exception.
import { parseScannerUrl, ScannerReader, type ScannerConfig } from '../../../hardware/index';
import type { ScannerDto } from '../../../core/api/schemas';
import type { Hub } from '../../hub';
import { HubError } from '../../hub-error';
import type { Actor } from '../actor';
import { presentCode, type PresentResult } from './presented-code';
import { ScannerSettings, type ScannerSetting } from './scanner-settings';
import type { WarnLog } from '../../hub-log';

type HubParts = Omit<Hub, 'scanner'>;

/** Follow-up URLs run past the reader's 64-character default; this fits them. */
const DEFAULT_MAX_LENGTH = 256;
/** How often a scanner that could not be opened at start-up is tried again. */
const RETRY_OPEN_MS = 2000;

const READER_REFUSALS: Record<string, string> = {
  too_long: 'This is too long to be a Guichet code.',
  not_printable: 'The scanner read something that is not a code (unreadable characters).',
  incomplete: 'Only part of a code was read: please scan again.',
};

export interface ParsedScannerUrl {
  config: ScannerConfig;
  /** `kiosk=<device id>` in the URL: the kiosk this scanner belongs to. */
  kioskDeviceId: string | null;
}

/**
 * `serial:/dev/ttyACM0?baud=9600&suffix=cr&timeout=50&max=64&kiosk=<device id>`: the hardware
 * library's scanner URL plus the hub's own `kiosk` option. Throws a 422 HubError on a bad URL.
 */
export function parseHubScannerUrl(url: string): ParsedScannerUrl {
  const [head = '', query = ''] = url.trim().split('?', 2);
  let kioskDeviceId: string | null = null;
  let hasMax = false;
  const kept: string[] = [];
  for (const part of query.split('&').filter(Boolean)) {
    const [key = '', value = ''] = part.split('=', 2);
    if (key === 'kiosk') {
      if (!/^[A-Za-z0-9_-]{1,64}$/.test(value))
        throw new HubError(422, 'invalid_scanner_url', 'Invalid scanner URL: kiosk=<device id>.');
      kioskDeviceId = value;
      continue;
    }
    if (key === 'max') hasMax = true;
    kept.push(part);
  }
  if (!hasMax) kept.push(`max=${DEFAULT_MAX_LENGTH}`);
  try {
    return { config: parseScannerUrl(`${head}?${kept.join('&')}`), kioskDeviceId };
  } catch (error) {
    throw new HubError(
      422,
      'invalid_scanner_url',
      error instanceof Error ? error.message : 'Invalid scanner URL.',
    );
  }
}

export class HubScanner {
  private readonly settings: ScannerSettings;
  private flagUrl: string | null = null;
  private reader: ScannerReader | null = null;
  private active: ParsedScannerUrl | null = null;
  private state: ScannerDto['state'] = 'closed';
  private error: string | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private baseUrl: () => string;
  private log: WarnLog = { warn: () => undefined };
  /** Serialises start/stop so a settings change during an open cannot leave two readers. */
  private chain: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly hub: HubParts) {
    this.settings = new ScannerSettings(hub.ctx.db);
    this.baseUrl = () => hub.printing.baseUrl();
  }

  /** `--scanner URL`: wins over the saved setting. Validated now, opened by start(). */
  configure(options: { url?: string }, log?: WarnLog): void {
    if (options.url !== undefined) {
      parseHubScannerUrl(options.url);
      this.flagUrl = options.url;
    }
    if (log) this.log = log;
  }

  start(): Promise<void> {
    return this.enqueue(() => this.open());
  }

  /** Saves the setting (admin) and reopens the scanner with it. */
  async update(setting: ScannerSetting): Promise<ScannerDto> {
    if (setting.url !== null) parseHubScannerUrl(setting.url);
    if (setting.kioskDeviceId !== null) this.assertKiosk(setting.kioskDeviceId);
    this.settings.set(setting);
    await this.enqueue(async () => {
      await this.shut();
      await this.open();
    });
    return this.status();
  }

  status(): ScannerDto {
    const setting = this.settings.get();
    const url = this.flagUrl ?? setting.url;
    let path: string | null = null;
    try {
      path = url ? parseHubScannerUrl(url).config.path : null;
    } catch {
      path = null;
    }
    return {
      path,
      source: this.flagUrl ? 'flag' : setting.url ? 'setting' : 'none',
      state: this.state,
      error: this.error,
      kioskDeviceId: this.kiosk()?.deviceId ?? null,
    };
  }

  close(): Promise<void> {
    this.stopped = true;
    return this.enqueue(() => this.shut());
  }

  /** What the scanner read: acted on at its kiosk, the outcome sent to that kiosk's stream. */
  handleCode(text: string): void {
    const kiosk = this.kiosk();
    if (!kiosk) {
      this.publish(
        {
          ok: false,
          kind: null,
          reason: 'no_kiosk',
          message: 'The scanner belongs to no kiosk: set one in the scanner settings.',
        },
        null,
      );
      return;
    }
    let result: PresentResult;
    try {
      result = presentCode(this.hub, text, kiosk, this.baseUrl());
    } catch (error) {
      // A database fault mid-check-in: nothing was written (one transaction); say so, go on.
      this.log.warn({ err: error }, 'scan failed');
      result = {
        ok: false,
        kind: null,
        reason: 'internal_error',
        message: 'The hub could not handle this scan; please try again.',
      };
    }
    this.publish(result, kiosk);
  }

  private handleRejected(reason: string): void {
    const message =
      READER_REFUSALS[reason] ?? 'The scanner read something that is not a Guichet code.';
    this.publish({ ok: false, kind: null, reason, message }, this.kiosk());
  }

  private publish(result: PresentResult, kiosk: Actor | null): void {
    this.hub.live.publish(
      { type: 'scanner.result', at: new Date(this.hub.ctx.clock.now()).toISOString(), ...result },
      // No kiosk to show it: the admin console does, so someone can fix the setting.
      kiosk ? { deviceIds: [kiosk.deviceId] } : { roles: ['admin'] },
    );
  }

  /** The kiosk this scanner belongs to: the URL's or setting's, else the only kiosk there is. */
  private kiosk(): Actor | null {
    const named = this.active?.kioskDeviceId ?? this.settings.get().kioskDeviceId;
    const kiosks = this.hub.devices
      .list()
      .filter((d) => d.role === 'kiosk' && d.revokedAt === null);
    const chosen = named
      ? kiosks.find((d) => d.id === named)
      : kiosks.length === 1
        ? kiosks[0]
        : undefined;
    return chosen ? { deviceId: chosen.id, role: 'kiosk', counterId: null } : null;
  }

  private assertKiosk(deviceId: string): void {
    const device = this.hub.devices.get(deviceId);
    if (device.role !== 'kiosk')
      throw new HubError(409, 'not_a_kiosk', `Device "${device.name}" is not a kiosk.`);
  }

  private enqueue(step: () => Promise<void>): Promise<void> {
    const next = this.chain.then(step, step);
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async open(): Promise<void> {
    if (this.stopped) return;
    const url = this.flagUrl ?? this.settings.get().url;
    if (!url) return;
    let parsed: ParsedScannerUrl;
    try {
      parsed = parseHubScannerUrl(url);
    } catch (error) {
      this.state = 'error';
      this.error = error instanceof Error ? error.message : String(error);
      return;
    }
    this.active = parsed;
    this.state = 'opening';
    try {
      const reader = await ScannerReader.open(parsed.config);
      if (this.stopped) {
        await reader.close();
        return;
      }
      reader.on('code', ({ text }) => this.handleCode(text));
      reader.on('rejected', ({ reason }) => this.handleRejected(reason));
      reader.on('status', ({ state, error }) => {
        this.state = state;
        this.error = error;
      });
      this.reader = reader;
      this.state = 'open';
      this.error = null;
    } catch (error) {
      // Not plugged in yet: the hub runs anyway and keeps trying.
      this.state = 'error';
      this.error = error instanceof Error ? error.message : String(error);
      this.log.warn({ path: parsed.config.path, error: this.error }, 'scanner not opened');
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        void this.enqueue(() => (this.reader ? Promise.resolve() : this.open()));
      }, RETRY_OPEN_MS);
      this.retryTimer.unref();
    }
  }

  private async shut(): Promise<void> {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const reader = this.reader;
    this.reader = null;
    this.active = null;
    this.state = 'closed';
    this.error = null;
    await reader?.close();
  }
}
