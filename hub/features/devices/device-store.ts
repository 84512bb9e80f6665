// Devices (kiosks, displays, counters, admin consoles), their tokens and pairing codes.
import { hash, randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../../core/api/schemas';
import { runCommand, type HubContext } from '../../hub-context';
import { HubError, notFound } from '../../hub-error';
import type { Actor } from '../actor';

export interface Device {
  id: string;
  name: string;
  role: Role;
  counterId: string | null;
  createdAt: number;
  revokedAt: number | null;
}

interface DeviceRow {
  id: string;
  name: string;
  role: Role;
  counter_id: string | null;
  created_at: number;
  revoked_at: number | null;
}

const toDevice = (r: DeviceRow): Device => ({
  id: r.id,
  name: r.name,
  role: r.role,
  counterId: r.counter_id,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

export interface NewDevice {
  role: Role;
  name?: string;
  counterId?: string;
}

/** Pairing codes avoid look-alike characters (0/O, 1/I/L) so they can be typed from a label. */
const PAIRING_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const PAIRING_CODE_LENGTH = 8;
const PAIRING_CODE_TTL_MS = 15 * 60 * 1000;

export const hashSecret = (secret: string): string => hash('sha256', secret, 'hex');

/** 256 random bits; the prefix lets secret scanners recognise a leaked token. */
export const newToken = (): string => `gch_${randomBytes(32).toString('base64url')}`;

function newPairingCode(): string {
  const bytes = randomBytes(PAIRING_CODE_LENGTH);
  return Array.from(bytes, (b) => PAIRING_ALPHABET[b % PAIRING_ALPHABET.length]).join('');
}

/** Accepts the code as people type it: any case, with spaces or dashes. */
export const normalisePairingCode = (code: string): string =>
  code.toUpperCase().replace(/[\s-]/g, '');

export class DeviceStore {
  private readonly all;
  private readonly one;
  private readonly insert;
  private readonly insertToken;
  private readonly revokeDevice;
  private readonly revokeTokens;
  private readonly byToken;
  private readonly insertCode;
  private readonly byCode;
  private readonly useCode;
  private readonly counterExists;

  constructor(private readonly ctx: HubContext) {
    const { db } = ctx;
    this.all = db.prepare<[], DeviceRow>('SELECT * FROM devices ORDER BY created_at, id');
    this.one = db.prepare<[string], DeviceRow>('SELECT * FROM devices WHERE id = ?');
    this.insert = db.prepare(
      'INSERT INTO devices (id, name, role, counter_id, created_at) VALUES (?, ?, ?, ?, ?)',
    );
    this.insertToken = db.prepare(
      'INSERT INTO device_tokens (token_hash, device_id, created_at) VALUES (?, ?, ?)',
    );
    this.revokeDevice = db.prepare(
      'UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL',
    );
    this.revokeTokens = db.prepare(
      'UPDATE device_tokens SET revoked_at = ? WHERE device_id = ? AND revoked_at IS NULL',
    );
    this.byToken = db.prepare<[string], DeviceRow>(
      `SELECT d.* FROM device_tokens t JOIN devices d ON d.id = t.device_id
       WHERE t.token_hash = ? AND t.revoked_at IS NULL AND d.revoked_at IS NULL`,
    );
    this.insertCode = db.prepare(
      'INSERT INTO pairing_codes (code_hash, device_id, expires_at) VALUES (?, ?, ?)',
    );
    this.byCode = db.prepare<[string, number], { device_id: string }>(
      'SELECT device_id FROM pairing_codes WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?',
    );
    this.useCode = db.prepare('UPDATE pairing_codes SET used_at = ? WHERE code_hash = ?');
    this.counterExists = db.prepare<[string], { id: string }>(
      'SELECT id FROM counters WHERE id = ?',
    );
  }

  list(): Device[] {
    return this.all.all().map(toDevice);
  }

  get(id: string): Device {
    const row = this.one.get(id);
    if (!row) throw notFound('device', id);
    return toDevice(row);
  }

  /** Creates a device with a token (shown once) and a pairing code (single use, 15 minutes). */
  create(input: NewDevice, actor: Actor): { device: Device; token: string; pairingCode: string } {
    if ((input.role === 'counter') !== (input.counterId !== undefined)) {
      throw new HubError(
        422,
        'invalid_device',
        'A counter device needs --counter, and only counter devices take one.',
      );
    }
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      if (input.counterId !== undefined && !this.counterExists.get(input.counterId))
        throw notFound('counter', input.counterId);
      const id = `dev-${randomUUID()}`;
      const name =
        input.name ?? (input.counterId ? `${input.role} ${input.counterId}` : input.role);
      this.insert.run(id, name, input.role, input.counterId ?? null, now);
      const token = newToken();
      this.insertToken.run(hashSecret(token), id, now);
      const pairingCode = this.issuePairingCode(id, now);
      const device = this.get(id);
      this.ctx.outbox.append(
        {
          type: 'device.created',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { device },
        },
        now,
      );
      return { device, token, pairingCode };
    });
  }

  /** Replaces a device's tokens with a new one (the demo does this at each start). */
  rotateToken(id: string): string {
    return this.reissue(id).token;
  }

  /**
   * New credentials for a device: its old tokens stop working, and a fresh token and pairing code
   * are returned. A repeated "create device" request gets these, since no stored copy of the
   * first token exists to replay.
   */
  reissue(id: string): { token: string; pairingCode: string } {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const device = this.get(id);
      if (device.revokedAt !== null)
        throw new HubError(409, 'device_revoked', `Device "${id}" is revoked.`);
      this.revokeTokens.run(now, id);
      const token = newToken();
      this.insertToken.run(hashSecret(token), id, now);
      return { token, pairingCode: this.issuePairingCode(id, now) };
    });
  }

  revoke(id: string, actor: Actor): Device {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const before = this.get(id);
      if (before.revokedAt !== null) return before;
      if (id === actor.deviceId)
        throw new HubError(409, 'cannot_revoke_self', 'A device cannot revoke itself.');
      this.revokeDevice.run(now, id);
      this.revokeTokens.run(now, id);
      this.ctx.outbox.append(
        {
          type: 'device.revoked',
          ticketId: null,
          actorDeviceId: actor.deviceId,
          payload: { deviceId: id },
        },
        now,
      );
      return this.get(id);
    });
  }

  /** The device behind a token, or null for an unknown or revoked one. */
  authenticate(token: string): Actor | null {
    const row = this.byToken.get(hashSecret(token));
    return row ? { deviceId: row.id, role: row.role, counterId: row.counter_id } : null;
  }

  /** Exchanges a pairing code for a fresh token (the code is then spent). */
  redeemPairingCode(code: string): { actor: Actor; token: string } | null {
    return runCommand(this.ctx, () => {
      const now = this.ctx.clock.now();
      const codeHash = hashSecret(normalisePairingCode(code));
      const hit = this.byCode.get(codeHash, now);
      if (!hit) return null;
      const device = this.get(hit.device_id);
      if (device.revokedAt !== null) return null;
      this.useCode.run(now, codeHash);
      const token = newToken();
      this.insertToken.run(hashSecret(token), device.id, now);
      return {
        actor: { deviceId: device.id, role: device.role, counterId: device.counterId },
        token,
      };
    });
  }

  private issuePairingCode(deviceId: string, now: number): string {
    const code = newPairingCode();
    this.insertCode.run(hashSecret(code), deviceId, now + PAIRING_CODE_TTL_MS);
    return code;
  }
}
