// The hub inside Electron: this code runs in a utility process (never in the main process, where
// better-sqlite3's synchronous calls would freeze every window). It creates a bare branch on
// first start, makes device tokens for this machine's own screens, runs the hub and reports.
import { mkdirSync } from 'node:fs';
import { DEMO_BRANCH } from '../../hub/demo/demo-branch';
import { initBranch } from '../../hub/branch-setup';
import { openHub } from '../../hub/hub';
import { databaseFile, startHub } from '../../hub/run-hub';
import { HubStartRequest, type HubReport } from './hub-messages';

/** The part of Electron's parentPort the service uses (so tests can hand it a stand-in). */
export interface HubPort {
  once(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  postMessage(message: HubReport): void;
}

/** Waits for the start request, runs the hub, stops it on {type:'stop'} or SIGTERM. */
export function serveHub(parentPort: HubPort, exit: (code: number) => void): void {
  const report = (message: HubReport) => parentPort.postMessage(message);
  parentPort.once('message', (event) => {
    const request = HubStartRequest.safeParse(event.data);
    if (!request.success) {
      report({ type: 'failed', message: 'bad start request' });
      exit(2);
      return;
    }
    run(request.data, report).then(
      (stop) => {
        const stopAndExit = () => void stop().finally(() => exit(0));
        parentPort.on('message', (next) => {
          if ((next.data as { type?: unknown } | null)?.type === 'stop') stopAndExit();
        });
        process.once('SIGTERM', stopAndExit);
      },
      (error: unknown) => {
        report({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
        exit(1);
      },
    );
  });
}

async function run(
  request: HubStartRequest,
  report: (message: HubReport) => void,
): Promise<() => Promise<void>> {
  mkdirSync(request.dataDir, { recursive: true });
  const tokens: Partial<Record<HubStartRequest['needTokensFor'][number], string>> = {};
  const setup = openHub(databaseFile(request.dataDir));
  try {
    if (!setup.branch.exists())
      initBranch(setup, {
        ...DEMO_BRANCH,
        id: `branch-${Date.now().toString(36)}`,
        name: 'Guichet',
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      });
    for (const role of request.needTokensFor) {
      const created = setup.devices.create(
        {
          role,
          name: `this machine (${role})`,
          ...(role === 'counter' && request.counterId ? { counterId: request.counterId } : {}),
        },
        setup.system,
      );
      tokens[role] = created.token;
    }
  } finally {
    setup.close();
  }
  const running = await startHub({
    dataDir: request.dataDir,
    host: request.host,
    port: request.port,
    logger: { level: 'warn' },
    ...(request.screensDir ? { screensDir: request.screensDir } : {}),
  });
  report({ type: 'ready', url: running.url, tokens });
  return running.stop;
}
