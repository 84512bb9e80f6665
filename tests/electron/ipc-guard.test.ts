import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { guardIpc, IpcRejected, type IpcSenderInfo } from '../../main/ipc/ipc-guard';
import { SaveSetupPayload, UnlockStaffPayload } from '../../main/ipc/ipc-schemas';

const shellOrigins = new Set(['app://guichet']);
const frame = (url: string, parent: unknown = null): IpcSenderInfo => ({
  senderFrame: { url, parent },
});
const fromSetupPage = frame('app://guichet/shell/setup.html');

const goodSetup = {
  pin: '482913',
  roles: ['kiosk', 'display'],
  hubUrl: 'http://192.168.1.10:4280',
  screenAssignments: { kiosk: 1, display: 2 },
  pairing: { kiosk: 'AB12CD34' },
};

function guardedSave() {
  const handler = vi.fn((payload: unknown) => payload);
  const rejected: IpcRejected[] = [];
  const guarded = guardIpc(
    {
      channel: 'guichet:setup:save',
      allowedOrigins: shellOrigins,
      schema: z.tuple([SaveSetupPayload]),
      onRejected: (e) => rejected.push(e),
    },
    handler,
  );
  return { guarded, handler, rejected };
}

describe('IPC sender check', () => {
  it('runs the handler for the setup page with a valid payload', () => {
    const { guarded, handler } = guardedSave();
    guarded(fromSetupPage, goodSetup);
    expect(handler).toHaveBeenCalledOnce();
    expect(handler.mock.calls[0]?.[0]).toEqual([goodSetup]);
  });

  it.each([
    ['the hub-served kiosk screen', frame('http://127.0.0.1:4280/kiosk')],
    ['a look-alike origin', frame('app://guichet.evil/shell/setup.html')],
    ['credentials in the URL', frame('app://guichet@evil/shell/setup.html')],
    ['a file: page', frame('file:///tmp/setup.html')],
    ['a data: page', frame('data:text/html,<script>1</script>')],
    ['about:blank', frame('about:blank')],
    [
      'a sub-frame of the setup page',
      frame('app://guichet/shell/setup.html', { url: 'app://guichet/' }),
    ],
    ['a destroyed frame', { senderFrame: null }],
  ])('refuses %s', (_why, event) => {
    const { guarded, handler, rejected } = guardedSave();
    expect(() => guarded(event, goodSetup)).toThrow(IpcRejected);
    expect(handler).not.toHaveBeenCalled();
    expect(rejected).toHaveLength(1);
  });
});

describe('IPC payload validation', () => {
  it.each([
    ['no payload', []],
    ['two payloads', [goodSetup, goodSetup]],
    ['a string', ['{"pin":"482913"}']],
    ['a short PIN', [{ ...goodSetup, pin: '12' }]],
    ['an unknown role', [{ ...goodSetup, roles: ['root'] }]],
    ['a file: hub', [{ ...goodSetup, hubUrl: 'file:///etc/passwd' }]],
    ['an extra key', [{ ...goodSetup, nodeIntegration: true }]],
    ['a prototype-polluting key', [JSON.parse('{"__proto__":{"admin":true},"pin":"482913"}')]],
    ['a token with spaces', [{ ...goodSetup, pairing: { kiosk: 'a b c d e f' } }]],
    ['an oversized payload', [{ ...goodSetup, counterId: 'x'.repeat(20_000) }]],
    [
      'a cyclic object',
      [
        (() => {
          const o: Record<string, unknown> = {};
          o.self = o;
          return o;
        })(),
      ],
    ],
  ])('refuses %s', (_why, args) => {
    const { guarded, handler } = guardedSave();
    expect(() => guarded(fromSetupPage, ...args)).toThrow(IpcRejected);
    expect(handler).not.toHaveBeenCalled();
  });

  it('says why an oversized payload was refused without parsing it', () => {
    const { guarded, rejected } = guardedSave();
    expect(() => guarded(fromSetupPage, { blob: 'x'.repeat(100_000) })).toThrow(
      /payload too large/,
    );
    expect(rejected[0]?.reason).toBe('payload too large');
  });

  it('checks the staff unlock arguments: a PIN string and a known action', () => {
    expect(UnlockStaffPayload.safeParse(['482913', 'exit']).success).toBe(true);
    expect(UnlockStaffPayload.safeParse(['482913', 'shutdown']).success).toBe(false);
    expect(UnlockStaffPayload.safeParse([482913, 'exit']).success).toBe(false);
  });
});
