import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from './web-preferences';

describe('web preferences', () => {
  it.each(['kiosk', 'display', 'counter', 'admin', 'shell'] as const)(
    'locks down the %s window',
    (role) => {
      const prefs = secureWebPreferences({ preload: '/p.cjs', role, production: true });
      expect(prefs).toMatchObject({
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webviewTag: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        devTools: false,
        partition: `persist:guichet-${role}`,
      });
    },
  );

  it('allows devtools only outside production', () => {
    expect(secureWebPreferences({ preload: '/p', role: 'kiosk', production: false }).devTools).toBe(
      true,
    );
  });

  it('lets only the display play sound without a tap', () => {
    expect(
      secureWebPreferences({ preload: '/p', role: 'display', production: true }).autoplayPolicy,
    ).toBe('no-user-gesture-required');
    expect(
      secureWebPreferences({ preload: '/p', role: 'kiosk', production: true }).autoplayPolicy,
    ).toBe('document-user-activation-required');
  });
});
