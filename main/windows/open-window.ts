// Creates one Guichet window from its plan: locked-down preferences, no menu, kiosk mode in the
// lobby, reloaded when its renderer dies, and not closable by a visitor.
import { BrowserWindow } from 'electron';
import type { ScreenRole } from '../../preload/api';
import { hardenWebContents } from '../security/harden';
import type { NavigationAllowlist } from '../security/navigation-allowlist';
import { decideRecovery, type RecoveryState } from './renderer-recovery';
import { secureWebPreferences } from './web-preferences';
import type { Rect } from './window-placement';

export interface OpenWindowOptions {
  role: ScreenRole | 'shell';
  bounds: Rect;
  kiosk: boolean;
  preload: string;
  production: boolean;
  allowlist: NavigationAllowlist;
  canClose(): boolean;
  onStaffPrompt(): void;
  log(line: string): void;
  title: string;
  parent?: BrowserWindow;
}

export function openWindow(options: OpenWindowOptions): BrowserWindow {
  const window = new BrowserWindow({
    ...options.bounds,
    title: options.title,
    show: false,
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    ...(options.parent ? { parent: options.parent, modal: true } : {}),
    webPreferences: {
      ...secureWebPreferences({
        preload: options.preload,
        role: options.role,
        production: options.production,
      }),
      // Repeated literally so a reader (and Electronegativity) sees them at the call site.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
    },
  });
  window.removeMenu();
  window.once('ready-to-show', () => window.show());
  hardenWebContents(window.webContents, {
    allowlist: options.allowlist,
    lockKeyboard: options.kiosk,
    onStaffPrompt: options.onStaffPrompt,
    log: options.log,
  });
  if (options.production)
    window.webContents.on('devtools-opened', () => window.webContents.closeDevTools());
  window.on('close', (event) => {
    if (!options.canClose()) event.preventDefault();
  });

  let recovery: RecoveryState = { failures: 0, lastLoadAt: Date.now() };
  window.webContents.on(
    'did-finish-load',
    () => (recovery = { ...recovery, lastLoadAt: Date.now() }),
  );
  window.webContents.on('render-process-gone', (_event, details) => {
    const decision = decideRecovery(details.reason, recovery, Date.now());
    recovery = decision.state;
    options.log(
      `${options.role} renderer gone (${details.reason}); ${decision.action} in ${decision.delayMs} ms`,
    );
    if (decision.action === 'reload')
      setTimeout(() => {
        if (!window.isDestroyed()) window.webContents.reload();
      }, decision.delayMs);
  });
  return window;
}
