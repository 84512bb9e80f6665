// The webPreferences of every Guichet window, in one place so no window can be created with a
// weaker set (Electron's security checklist, items 2–4, 6, 9, 10 and 11).
import type { ScreenRole } from '../../preload/api';

export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webviewTag: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  experimentalFeatures: false;
  enableBlinkFeatures: '';
  disableBlinkFeatures: 'Auxclick';
  navigateOnDragDrop: false;
  spellcheck: false;
  devTools: boolean;
  partition: string;
  autoplayPolicy: 'no-user-gesture-required' | 'document-user-activation-required';
  backgroundThrottling: boolean;
}

export function secureWebPreferences(options: {
  preload: string;
  role: ScreenRole | 'shell';
  production: boolean;
}): SecureWebPreferences {
  return {
    preload: options.preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    enableBlinkFeatures: '',
    // Middle-click would open links in new windows (denied anyway; this stops the attempt).
    disableBlinkFeatures: 'Auxclick',
    navigateOnDragDrop: false,
    spellcheck: false,
    devTools: !options.production,
    // One session per screen role: each keeps its own pairing cookie, none sees another's.
    partition: `persist:guichet-${options.role}`,
    // The waiting-room display announces numbers with a chime nobody clicked for.
    autoplayPolicy:
      options.role === 'display' ? 'no-user-gesture-required' : 'document-user-activation-required',
    // A display in the background (behind nothing, but unfocused) must keep its clock running.
    backgroundThrottling: false,
  };
}
