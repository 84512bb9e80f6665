// The machine's secrets: the admin PIN hash and the device token of each screen. Encrypted with
// the OS keychain through Electron's safeStorage when the OS offers one; on Linux without a
// keyring safeStorage falls back to a hard-coded key ("basic_text"), which we report as not
// encrypted so the setup screen can say so. The file is owner-only either way.
import { z } from 'zod';
import { PinHashSchema } from '../security/admin-pin';
import type { TextFiles } from './config-files';

export const SecretsSchema = z
  .object({
    adminPin: PinHashSchema.nullable(),
    deviceTokens: z
      .object({
        kiosk: z.string().min(1).max(512).optional(),
        display: z.string().min(1).max(512).optional(),
        counter: z.string().min(1).max(512).optional(),
        admin: z.string().min(1).max(512).optional(),
      })
      .strict(),
  })
  .strict();
export type Secrets = z.infer<typeof SecretsSchema>;

export const EMPTY_SECRETS: Secrets = { adminPin: null, deviceTokens: {} };

/** The part of Electron's safeStorage we use. */
export interface Encryptor {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; other platforms always use the OS keychain. */
  getSelectedStorageBackend?(): string;
}

const Envelope = z.discriminatedUnion('format', [
  z.object({ format: z.literal('safeStorage'), data: z.string() }).strict(),
  z.object({ format: z.literal('plain'), data: z.unknown() }).strict(),
]);

export function isReallyEncrypted(encryptor: Encryptor): boolean {
  if (!encryptor.isEncryptionAvailable()) return false;
  return encryptor.getSelectedStorageBackend?.() !== 'basic_text';
}

export class SecretStore {
  constructor(
    private readonly files: TextFiles,
    private readonly file: string,
    private readonly encryptor: Encryptor,
  ) {}

  get encrypted(): boolean {
    return isReallyEncrypted(this.encryptor);
  }

  /** The stored secrets; a missing or unreadable file gives none (and the PIN must be set anew). */
  read(): Secrets {
    const raw = this.files.read(this.file);
    if (raw === null) return EMPTY_SECRETS;
    try {
      const envelope = Envelope.parse(JSON.parse(raw));
      const content =
        envelope.format === 'safeStorage'
          ? JSON.parse(this.encryptor.decryptString(Buffer.from(envelope.data, 'base64')))
          : envelope.data;
      return SecretsSchema.parse(content);
    } catch {
      return EMPTY_SECRETS;
    }
  }

  write(secrets: Secrets): void {
    const content = SecretsSchema.parse(secrets);
    const envelope = this.encryptor.isEncryptionAvailable()
      ? {
          format: 'safeStorage' as const,
          data: this.encryptor.encryptString(JSON.stringify(content)).toString('base64'),
        }
      : { format: 'plain' as const, data: content };
    this.files.write(this.file, JSON.stringify(envelope));
  }
}
