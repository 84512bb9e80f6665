// `npm start` with Electron: the demo hub runs as `guichet demo` under the system's Node, not in
// a utility process, because node_modules' better-sqlite3 is built for Node's ABI (the packaged
// app has it rebuilt for Electron's). Same supervisor, same backoff.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { demoReady, readDemoLine, type DemoUrls } from '../launch/launch-plan';
import type { SupervisedChild } from './process-supervisor';

export function startDemoHub(
  repoRoot: string,
  onReady: (urls: DemoUrls & { kiosk: string; display: string }) => void,
): SupervisedChild {
  const node = process.env.npm_node_execpath ?? process.env.NODE ?? 'node';
  const child = spawn(node, [path.join(repoRoot, 'bin', 'guichet.mjs'), 'demo'], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
    // ELECTRON_RUN_AS_NODE must not leak into a real Node.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined },
  });
  let urls: DemoUrls = { counters: [] };
  let reported = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    console.log(line);
    urls = readDemoLine(line, urls);
    if (!reported && demoReady(urls)) {
      reported = true;
      onReady(urls);
    }
  });
  return {
    onExit: (listener) => child.on('exit', (code) => listener(code ?? 1)),
    kill: () => void child.kill('SIGTERM'),
  };
}
