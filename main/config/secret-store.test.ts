import { describe, expect, it } from 'vitest';
import type { TextFiles } from './config-files';
import { SecretStore, type Encryptor, type Secrets } from './secret-store';

const memoryFiles = (): TextFiles & { files: Map<string, string> } => {
  const files = new Map<string, string>();
  return { files, read: (f) => files.get(f) ?? null, write: (f, c) => void files.set(f, c) };
};

// A stand-in for safeStorage: reversible, and visibly not the plain text.
const fakeKeychain = (backend = 'gnome_libsecret'): Encryptor => ({
  isEncryptionAvailable: () => true,
  encryptString: (plain) => Buffer.from([...Buffer.from(plain)].map((b) => b ^ 0x5a)),
  decryptString: (data) => Buffer.from([...data].map((b) => b ^ 0x5a)).toString(),
  getSelectedStorageBackend: () => backend,
});
const noKeychain: Encryptor = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('unavailable');
  },
  decryptString: () => {
    throw new Error('unavailable');
  },
};

const secrets: Secrets = { adminPin: null, deviceTokens: { kiosk: 'tok-kiosk-secret' } };

describe('secret store', () => {
  it('encrypts with the keychain and reads back', () => {
    const files = memoryFiles();
    const store = new SecretStore(files, 's.json', fakeKeychain());
    store.write(secrets);
    expect(files.files.get('s.json')).not.toContain('tok-kiosk-secret');
    expect(store.read()).toEqual(secrets);
    expect(store.encrypted).toBe(true);
  });

  it('says "not encrypted" for Linux basic_text, and without any keychain', () => {
    expect(new SecretStore(memoryFiles(), 's', fakeKeychain('basic_text')).encrypted).toBe(false);
    const files = memoryFiles();
    const store = new SecretStore(files, 's', noKeychain);
    store.write(secrets);
    expect(store.encrypted).toBe(false);
    expect(store.read()).toEqual(secrets);
  });

  it('gives no secrets for a missing, corrupt or tampered file', () => {
    const files = memoryFiles();
    const store = new SecretStore(files, 's', fakeKeychain());
    expect(store.read()).toEqual({ adminPin: null, deviceTokens: {} });
    files.files.set('s', '{"format":"plain","data":{"adminPin":null,"deviceTokens":{"evil":"x"}}}');
    expect(store.read().deviceTokens).toEqual({});
    files.files.set('s', 'garbage');
    expect(store.read().adminPin).toBeNull();
  });
});
