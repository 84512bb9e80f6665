// The scanner setting kept in the hub database (meta), used when `--scanner` is not given.
import type { Db } from '../../db/open-database';

export interface ScannerSetting {
  url: string | null;
  kioskDeviceId: string | null;
}

const URL_KEY = 'scanner.url';
const KIOSK_KEY = 'scanner.kiosk_device_id';

export class ScannerSettings {
  private readonly read;
  private readonly write;
  private readonly remove;

  constructor(private readonly db: Db) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
    this.write = db.prepare<[string, string]>(
      'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.remove = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  }

  get(): ScannerSetting {
    return {
      url: this.read.get(URL_KEY)?.value ?? null,
      kioskDeviceId: this.read.get(KIOSK_KEY)?.value ?? null,
    };
  }

  set(setting: ScannerSetting): void {
    this.db
      .transaction(() => {
        for (const [key, value] of [
          [URL_KEY, setting.url],
          [KIOSK_KEY, setting.kioskDeviceId],
        ] as const) {
          if (value === null) this.remove.run(key);
          else this.write.run(key, value);
        }
      })
      .immediate();
  }
}
