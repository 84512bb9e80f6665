import { describe, expect, it } from 'vitest';
import { parseSetupConfig } from './setup-config';

const valid = {
  version: 1,
  roles: ['kiosk', 'display'],
  hubUrl: 'http://192.168.1.10:4280',
  screenAssignments: { kiosk: 1, display: 2 },
};

describe('setup config schema', () => {
  it('accepts a kiosk + display machine and fills the defaults', () => {
    const result = parseSetupConfig(JSON.stringify(valid));
    expect(result).toEqual({
      kind: 'ok',
      config: {
        ...valid,
        hubUrl: 'http://192.168.1.10:4280',
        hubPort: 4280,
        counterId: null,
        startAtLogin: true,
      },
    });
  });

  it('normalises the hub URL to its origin', () => {
    const result = parseSetupConfig(JSON.stringify({ ...valid, hubUrl: 'HTTP://Hub.Local:4280/' }));
    expect(result.kind === 'ok' && result.config.hubUrl).toBe('http://hub.local:4280');
  });

  it('says "missing" when there is no file (first start: the setup screen)', () => {
    expect(parseSetupConfig(null)).toEqual({ kind: 'missing' });
  });

  it.each([
    ['not JSON', '{roles:'],
    ['a half-written file', '{"version":1,"roles":["kiosk"]'],
    ['an unknown version', JSON.stringify({ ...valid, version: 2 })],
    ['no role', JSON.stringify({ ...valid, roles: [] })],
    ['an unknown role', JSON.stringify({ ...valid, roles: ['kiosk', 'printer'] })],
    ['a role twice', JSON.stringify({ ...valid, roles: ['kiosk', 'kiosk'] })],
    ['a counter without its id', JSON.stringify({ ...valid, roles: ['counter'] })],
    ['a file: hub', JSON.stringify({ ...valid, hubUrl: 'file:///etc/passwd' })],
    ['a hub URL with a path', JSON.stringify({ ...valid, hubUrl: 'http://hub/evil' })],
    ['a hub URL with credentials', JSON.stringify({ ...valid, hubUrl: 'http://a:b@hub:4280' })],
    ['a javascript: hub', JSON.stringify({ ...valid, hubUrl: 'javascript:alert(1)' })],
    ['a bad port', JSON.stringify({ ...valid, hubPort: 70_000 })],
    ['a fractional screen id', JSON.stringify({ ...valid, screenAssignments: { kiosk: 1.5 } })],
    [
      'an unknown key (a secret put here by mistake)',
      JSON.stringify({ ...valid, adminPin: '1234' }),
    ],
  ])('refuses %s, with the reason', (_why, raw) => {
    const result = parseSetupConfig(raw);
    expect(result.kind).toBe('invalid');
    expect(result.kind === 'invalid' && result.problems.length).toBeGreaterThan(0);
  });
});
