// The Electron main process: one instance, no menu, the setup screen on first start, then the
// hub (in a utility process) and this machine's screens on the right physical displays. Every
// decision here is made by a tested module; this file only connects them to Electron.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  Menu,
  powerSaveBlocker,
  protocol,
  safeStorage,
  screen,
  session,
} from 'electron';
import type { ScreenRole, SetupState, ShellResult, StaffAction } from '../../preload/api';
import { nodeTextFiles, SECRETS_FILE, SETUP_FILE } from '../config/config-files';
import { pairWithHub, TOKEN_COOKIE } from '../config/pairing';
import { SecretStore, type Secrets } from '../config/secret-store';
import {
  localHubUrl,
  parseSetupConfig,
  SetupConfigSchema,
  type SetupConfig,
} from '../config/setup-config';
import { ProcessSupervisor } from '../hub/process-supervisor';
import { startDemoHub } from '../hub/demo-hub';
import { startUtilityHub } from '../hub/utility-hub';
import type { SaveSetupData } from '../ipc/ipc-schemas';
import { registerIpc } from '../ipc/register-ipc';
import { APP_ORIGIN, APP_SCHEME, APP_SCHEME_PRIVILEGES } from '../protocol/app-protocol';
import { registerAppProtocol } from '../protocol/register-app-protocol';
import { hashPin, PinAttemptLimiter, verifyPin } from '../security/admin-pin';
import { hardenSession } from '../security/harden';
import { createNavigationAllowlist, originOf } from '../security/navigation-allowlist';
import { openWindow } from '../windows/open-window';
import { planWindows, screenRolesOf } from '../windows/window-placement';
import { PIN_PAGE, screenUrl, SETUP_PAGE } from './screen-urls';

const here = path.dirname(fileURLToPath(import.meta.url));
const production = process.env.GUICHET_PRODUCTION === '1' || app.isPackaged;
const demo = process.argv.includes('--guichet-demo');
const files = {
  preload: path.join(here, 'preload.cjs'),
  hubEntry: path.join(here, 'hub-entry.mjs'),
  shellDir: path.join(here, 'shell'),
};
const repoRoot = path.resolve(here, '..', '..');
const log = (line: string) => console.log(`[guichet] ${line}`);

// Must happen before ready: app:// pages get a real, secure origin.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.whenReady().then(start, (error: unknown) => {
    console.error(error);
    app.exit(1);
  });
}

let allowQuit = false;
const screenWindows = new Map<ScreenRole, BrowserWindow>();
let shellWindow: BrowserWindow | null = null;
let hubSupervisor: ProcessSupervisor | null = null;
let hubOrigin: string | null = null;
const pinLimiter = new PinAttemptLimiter();

const userFile = (name: string) => path.join(app.getPath('userData'), name);
const secretStore = () => new SecretStore(nodeTextFiles, userFile(SECRETS_FILE), safeStorage);

app.on('window-all-closed', () => {
  if (allowQuit) app.quit();
});
app.on('before-quit', () => {
  allowQuit = true;
  hubSupervisor?.stop();
});
// Anything the page side of Electron creates gets the same treatment, even if we forgot it.
app.on('web-contents-created', (_event, contents) => {
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

async function start(): Promise<void> {
  Menu.setApplicationMenu(null);
  registerIpc({
    shellOrigins: new Set([APP_ORIGIN]),
    screenOrigins: { has: (origin) => origin === hubOrigin },
    handlers: { getSetupState, saveSetup, unlockStaff, requestStaffPrompt: openPinPrompt },
    log,
  });
  prepareSession('shell', []);
  if (demo) return startDemo();
  const read = parseSetupConfig(nodeTextFiles.read(userFile(SETUP_FILE)));
  if (read.kind !== 'ok') {
    if (read.kind === 'invalid') log(`setup file refused: ${read.problems.join('; ')}`);
    openShellPage(SETUP_PAGE);
    return;
  }
  startLobby(read.config);
}

function prepareSession(
  role: ScreenRole | 'shell',
  connectTo: readonly string[],
): Electron.Session {
  const ses = session.fromPartition(`persist:guichet-${role}`);
  hardenSession(ses, { connectTo, log });
  if (role === 'shell')
    registerAppProtocol(ses, {
      shellDir: files.shellDir,
      screensDir: null,
      hubUrl: null,
      deviceToken: () => undefined,
      connectTo,
    });
  return ses;
}

function startDemo(): void {
  const config = SetupConfigSchema.parse({
    version: 1,
    roles: ['kiosk', 'display'],
    hubUrl: localHubUrl(4280),
  });
  hubSupervisor = new ProcessSupervisor({
    start: () =>
      startDemoHub(repoRoot, (urls) => {
        hubOrigin = originOf(urls.hub ?? urls.kiosk);
        showScreens(config, 'demo', { kiosk: urls.kiosk, display: urls.display });
      }),
    onEvent: (event) => log(`demo hub: ${JSON.stringify(event)}`),
  });
  hubSupervisor.start();
}

function startLobby(config: SetupConfig): void {
  const blocker = powerSaveBlocker.start('prevent-display-sleep');
  log(`display sleep blocked (${blocker})`);
  if (production) app.setLoginItemSettings({ openAtLogin: config.startAtLogin });
  const store = secretStore();
  if (!config.roles.includes('hub')) {
    hubOrigin = originOf(config.hubUrl);
    void plantTokensAndShow(config, store.read());
    return;
  }
  const hubUrl = localHubUrl(config.hubPort);
  hubOrigin = originOf(hubUrl);
  hubSupervisor = new ProcessSupervisor({
    start: () => {
      const secrets = store.read();
      const needTokensFor = screenRolesOf(config.roles).filter(
        (role) => !secrets.deviceTokens[role],
      );
      return startUtilityHub(
        files.hubEntry,
        {
          type: 'start',
          dataDir: userFile('hub'),
          host: '0.0.0.0',
          port: config.hubPort,
          screensDir: app.isPackaged
            ? path.join(process.resourcesPath, 'screens')
            : path.join(repoRoot, 'renderer', 'dist'),
          needTokensFor,
          counterId: config.counterId,
        },
        (report) => {
          if (report.type === 'failed') return log(`hub failed: ${report.message}`);
          const updated: Secrets = {
            ...secrets,
            deviceTokens: { ...secrets.deviceTokens, ...report.tokens },
          };
          store.write(updated);
          void plantTokensAndShow({ ...config, hubUrl }, updated);
        },
      );
    },
    onEvent: (event) => log(`hub: ${JSON.stringify(event)}`),
  });
  hubSupervisor.start();
}

/** Puts each screen's device token in its own session as the hub's HttpOnly cookie. */
async function plantTokensAndShow(config: SetupConfig, secrets: Secrets): Promise<void> {
  const urls: Partial<Record<ScreenRole, string>> = {};
  for (const role of screenRolesOf(config.roles)) {
    const token = secrets.deviceTokens[role];
    if (token)
      await session.fromPartition(`persist:guichet-${role}`).cookies.set({
        url: config.hubUrl,
        name: TOKEN_COOKIE,
        value: token,
        httpOnly: true,
        sameSite: 'strict',
        expirationDate: Date.now() / 1000 + 10 * 365 * 24 * 3600,
      });
    urls[role] = screenUrl(config.hubUrl, role, config.counterId);
  }
  showScreens(config, 'lobby', urls);
}

function showScreens(
  config: SetupConfig,
  mode: 'lobby' | 'demo',
  urls: Partial<Record<ScreenRole, string>>,
): void {
  const plan = planWindows({
    roles: config.roles,
    displays: screen.getAllDisplays(),
    primaryDisplayId: screen.getPrimaryDisplay().id,
    assignments: config.screenAssignments,
    mode,
  });
  for (const missing of plan.unplaced) log(`${missing.role} window not opened: ${missing.reason}`);
  const allowlist = createNavigationAllowlist([APP_ORIGIN, ...(hubOrigin ? [hubOrigin] : [])]);
  for (const windowPlan of plan.windows) {
    const url = urls[windowPlan.role];
    if (!url) continue;
    let window = screenWindows.get(windowPlan.role);
    if (!window || window.isDestroyed()) {
      prepareSession(windowPlan.role, hubOrigin ? [hubOrigin] : []);
      window = openWindow({
        role: windowPlan.role,
        bounds: windowPlan.bounds,
        kiosk: windowPlan.kiosk,
        preload: files.preload,
        production,
        allowlist,
        canClose: () => allowQuit || !windowPlan.kiosk,
        onStaffPrompt: openPinPrompt,
        log,
        title: `Guichet — ${windowPlan.role}`,
      });
      screenWindows.set(windowPlan.role, window);
    }
    void window
      .loadURL(url)
      .catch((error: unknown) => log(`${windowPlan.role} did not load: ${String(error)}`));
  }
}

function openShellPage(url: string): void {
  if (shellWindow && !shellWindow.isDestroyed()) {
    void shellWindow.loadURL(url);
    shellWindow.focus();
    return;
  }
  const area = screen.getPrimaryDisplay().workArea;
  shellWindow = openWindow({
    role: 'shell',
    bounds: {
      x: area.x + 40,
      y: area.y + 40,
      width: Math.min(900, area.width - 80),
      height: Math.min(760, area.height - 80),
    },
    kiosk: false,
    preload: files.preload,
    production,
    allowlist: createNavigationAllowlist([APP_ORIGIN]),
    canClose: () => true,
    onStaffPrompt: () => undefined,
    log,
    title: 'Guichet — staff',
  });
  shellWindow.setAlwaysOnTop(true, 'screen-saver');
  void shellWindow.loadURL(url);
}

function openPinPrompt(): void {
  openShellPage(PIN_PAGE);
}

async function checkPin(pin: string, secrets: Secrets): Promise<ShellResult | null> {
  const wait = pinLimiter.waitMs();
  if (wait > 0) return { ok: false, reason: `too many tries: wait ${Math.ceil(wait / 1000)} s` };
  if (!secrets.adminPin) return null;
  const right = await verifyPin(pin, secrets.adminPin);
  pinLimiter.record(right);
  return right ? null : { ok: false, reason: 'wrong PIN' };
}

async function unlockStaff(pin: string, action: StaffAction): Promise<ShellResult> {
  if (action === 'cancel') {
    shellWindow?.close();
    return { ok: true };
  }
  const secrets = secretStore().read();
  if (!secrets.adminPin) return { ok: false, reason: 'no admin PIN is set yet' };
  const refused = await checkPin(pin, secrets);
  if (refused) return refused;
  if (action === 'exit') {
    allowQuit = true;
    app.quit();
  } else openShellPage(SETUP_PAGE);
  return { ok: true };
}

async function getSetupState(): Promise<SetupState> {
  const read = parseSetupConfig(nodeTextFiles.read(userFile(SETUP_FILE)));
  const store = secretStore();
  const secrets = store.read();
  const primary = screen.getPrimaryDisplay().id;
  const config = read.kind === 'ok' ? read.config : null;
  return {
    configured: config !== null,
    pinSet: secrets.adminPin !== null,
    roles: config?.roles ?? [],
    hubUrl: config?.hubUrl ?? localHubUrl(4280),
    counterId: config?.counterId ?? null,
    screenAssignments: config?.screenAssignments ?? {},
    pairedRoles: Object.keys(secrets.deviceTokens) as ScreenRole[],
    displays: screen.getAllDisplays().map((d, index) => ({
      id: d.id,
      label: d.label || `Screen ${index + 1}`,
      width: d.size.width,
      height: d.size.height,
      primary: d.id === primary,
    })),
    secretsEncrypted: store.encrypted,
  };
}

async function saveSetup(request: SaveSetupData): Promise<ShellResult> {
  const store = secretStore();
  const secrets = store.read();
  const refused = await checkPin(request.pin, secrets);
  if (refused) return refused;
  const parsed = SetupConfigSchema.safeParse({
    version: 1,
    roles: request.roles,
    hubUrl: request.roles.includes('hub') ? localHubUrl(4280) : request.hubUrl,
    counterId: request.counterId ?? null,
    screenAssignments: request.screenAssignments,
  });
  if (!parsed.success)
    return { ok: false, reason: parsed.error.issues.map((i) => i.message).join('; ') };
  const deviceTokens = { ...secrets.deviceTokens };
  for (const [role, credential] of Object.entries(request.pairing ?? {}) as [
    ScreenRole,
    string,
  ][]) {
    const outcome = await pairWithHub(parsed.data.hubUrl, credential);
    if (!outcome.ok) return { ok: false, reason: `${role}: ${outcome.reason}` };
    deviceTokens[role] = outcome.token;
  }
  const adminPin =
    secrets.adminPin && !request.newPin
      ? secrets.adminPin
      : await hashPin(request.newPin ?? request.pin);
  store.write({ adminPin, deviceTokens });
  nodeTextFiles.write(userFile(SETUP_FILE), JSON.stringify(parsed.data, null, 2));
  // Start again with the new setup: simpler and surer than reconfiguring live windows.
  allowQuit = true;
  app.relaunch();
  app.exit(0);
  return { ok: true };
}
