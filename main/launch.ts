// `npm start`: the demo branch in the Electron shell when this machine has an Electron binary,
// otherwise (no internet when electron's binary should have been downloaded) the same demo in
// browser mode: the hub, its screen URLs printed, and Chromium in app mode on the kiosk and the
// display when it is installed. Ctrl+C stops everything. Run with tsx.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import {
  chromiumArgs,
  demoReady,
  findChromium,
  planLaunch,
  probeElectron,
  readDemoLine,
  type DemoUrls,
} from './launch/launch-plan';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);

const electron = probeElectron(() => createRequire(import.meta.url)('electron'), existsSync);
const plan = planLaunch(electron, findChromium(process.env.PATH, existsSync));

if (plan.mode === 'electron') await runElectron(plan.binary);
else {
  console.log(plan.notice);
  runBrowserDemo(plan.chromium);
}

async function runElectron(binary: string): Promise<void> {
  const { buildShell } = await import('./build');
  const { mainEntry } = await buildShell({ production: false });
  const args = [mainEntry, '--guichet-demo', ...passThrough];
  // Chromium refuses to run as root with its sandbox on; a developer's root shell gets a demo
  // without it, said out loud. Lobby machines run the packaged app as a normal user.
  if (process.getuid?.() === 0) {
    console.log('Running as root: Electron is started with --no-sandbox for this demo only.');
    args.push('--no-sandbox');
  }
  const child = spawn(binary, args, { stdio: 'inherit', cwd: repoRoot });
  forwardStopSignals([child]);
  child.on('exit', (code) => process.exit(code ?? 0));
}

function runBrowserDemo(chromium: string | null): void {
  const demo = spawn(
    process.execPath,
    [path.join(repoRoot, 'bin', 'guichet.mjs'), 'demo', ...passThrough],
    {
      cwd: process.cwd(),
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const browsers: ChildProcess[] = [];
  const profiles: string[] = [];
  let urls: DemoUrls = { counters: [] };
  let opened = false;

  createInterface({ input: demo.stdout! }).on('line', (line) => {
    console.log(line);
    urls = readDemoLine(line, urls);
    if (opened || !demoReady(urls)) return;
    opened = true;
    if (!chromium) {
      console.log('Chromium is not installed: open the URLs above in any browser.');
      return;
    }
    for (const url of [urls.kiosk, urls.display]) {
      const profile = mkdtempSync(path.join(os.tmpdir(), 'guichet-chromium-'));
      profiles.push(profile);
      const browser = spawn(chromium, chromiumArgs(url, profile), { stdio: 'ignore' });
      browser.on('error', (error) =>
        console.error(`Could not start ${chromium}: ${error.message}`),
      );
      // E.g. no graphical session: say so; the hub and its URLs stay up.
      browser.on('exit', (code) => {
        if (code) console.log(`Chromium exited (code ${code}); open the URLs above in a browser.`);
      });
      browsers.push(browser);
    }
  });

  forwardStopSignals([demo, ...browsers], () => browsers);
  demo.on('exit', (code) => {
    for (const browser of browsers) browser.kill('SIGTERM');
    for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
    process.exit(code ?? 0);
  });
}

/** Ctrl+C or a kill: pass it on to the children; we exit when the main child has stopped. */
function forwardStopSignals(children: ChildProcess[], late: () => ChildProcess[] = () => []): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.on(signal, () => {
      for (const child of new Set([...children, ...late()]))
        if (child.exitCode === null && !child.killed) child.kill('SIGTERM');
    });
}
