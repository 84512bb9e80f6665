// Version 2: devices with hashed tokens and pairing codes, and the idempotency ledger.
import type { Migration } from './index';

export const migration002: Migration = {
  version: 2,
  name: 'devices-and-idempotency',
  up(db) {
    db.exec(`
      CREATE TABLE devices (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('kiosk', 'display', 'counter', 'admin')),
        counter_id TEXT REFERENCES counters(id),
        created_at INTEGER NOT NULL,
        revoked_at INTEGER,
        CHECK ((role = 'counter') = (counter_id IS NOT NULL))
      ) STRICT;

      -- Only SHA-256 of a token is kept: tokens are 256-bit random, so a plain hash is enough
      -- and a stolen database holds nothing that authenticates.
      CREATE TABLE device_tokens (
        token_hash TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      ) STRICT;
      CREATE INDEX device_tokens_by_device ON device_tokens (device_id);

      -- Short codes typed on a TV remote or a kiosk to pair it once; single use, short-lived.
      CREATE TABLE pairing_codes (
        code_hash TEXT PRIMARY KEY,
        device_id TEXT NOT NULL REFERENCES devices(id) ON DELETE CASCADE,
        expires_at INTEGER NOT NULL,
        used_at INTEGER
      ) STRICT;

      -- A POST repeated with the same Idempotency-Key returns the first answer and changes nothing.
      CREATE TABLE idempotency_keys (
        device_id TEXT NOT NULL,
        key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        status_code INTEGER NOT NULL,
        response TEXT,                         -- JSON body, NULL for empty answers
        created_at INTEGER NOT NULL,
        PRIMARY KEY (device_id, key)
      ) STRICT;
    `);
  },
};
