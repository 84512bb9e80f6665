// Wires the pure security decisions into Electron: per web contents (navigation, redirects, new
// windows, webviews, keyboard) and per session (permissions, CSP headers). Thin on purpose: every
// decision it applies is a tested function elsewhere.
import type { Session, WebContents } from 'electron';
import { classifyKey } from '../windows/keyboard-guard';
import { withSecurityHeaders } from './content-security-policy';
import type { NavigationAllowlist } from './navigation-allowlist';
import { decidePermission } from './permissions';

export interface HardenOptions {
  allowlist: NavigationAllowlist;
  /** Lobby windows block reload/quit/devtools keys; the setup window (staff only) does not. */
  lockKeyboard: boolean;
  onStaffPrompt(): void;
  log(line: string): void;
}

export function hardenWebContents(contents: WebContents, options: HardenOptions): void {
  const refuse = (what: string) => (event: { preventDefault(): void }, url: string) => {
    if (options.allowlist.isAllowed(url)) return;
    event.preventDefault();
    options.log(`${what} refused: ${url}`);
  };
  contents.on('will-navigate', refuse('navigation'));
  contents.on('will-frame-navigate', (event) => {
    if (!options.allowlist.isAllowed(event.url)) {
      event.preventDefault();
      options.log(`frame navigation refused: ${event.url}`);
    }
  });
  contents.on('will-redirect', refuse('redirect'));
  // No pop-ups, ever; links with target=_blank do nothing (a kiosk has no second browser).
  contents.setWindowOpenHandler(({ url }) => {
    options.log(`new window refused: ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.log('webview refused');
  });
  if (options.lockKeyboard)
    contents.on('before-input-event', (event, input) => {
      const verdict = classifyKey(input);
      if (verdict === 'allow') return;
      event.preventDefault();
      if (verdict === 'staff-prompt') options.onStaffPrompt();
    });
  // Pinch and Ctrl+wheel zoom would break a kiosk's layout for the next visitor.
  contents.on(
    'did-finish-load',
    () => void contents.setVisualZoomLevelLimits(1, 1).catch(() => undefined),
  );
}

export function hardenSession(
  session: Session,
  options: { connectTo: readonly string[]; log(line: string): void },
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const decision = decidePermission(permission, details.requestingUrl);
    options.log(decision.logLine);
    callback(decision.granted);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
  // Our CSP on every http(s) response (the hub's screens); app:// responses carry it already.
  session.webRequest.onHeadersReceived((details, callback) => {
    if (details.resourceType !== 'mainFrame' && details.resourceType !== 'subFrame') {
      callback({});
      return;
    }
    callback({
      responseHeaders: withSecurityHeaders(details.responseHeaders, {
        connectTo: options.connectTo,
      }),
    });
  });
  session.on('will-download', (event) => {
    event.preventDefault();
    options.log('download refused');
  });
}
