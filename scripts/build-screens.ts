// Builds the screens (renderer/dist) when their sources changed since the last build: a hash of
// renderer/, core/ (which the screens bundle) and the chime. Used by `npm start`, the hub's e2e
// tests and the lobby bench; serialised by a lock directory because Vitest runs files in parallel.
// Run directly (`tsx scripts/build-screens.ts`) it builds if stale and says what it did.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';

export const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const rendererDir = join(repoRoot, 'renderer');
const distDir = join(rendererDir, 'dist');
const stampFile = join(distDir, '.source-hash');
const lockDir = join(repoRoot, 'node_modules', '.cache', 'guichet-renderer-build.lock');

function sourceHash(): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (path === distDir || name === 'node_modules') continue;
      if (statSync(path).isDirectory()) walk(path);
      else hash.update(relative(repoRoot, path)).update(readFileSync(path));
    }
  };
  walk(rendererDir);
  walk(join(repoRoot, 'core'));
  hash.update(readFileSync(join(repoRoot, 'resources/sounds/chime.wav')));
  return hash.digest('hex');
}

function isFresh(hash: string): boolean {
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === hash;
}

async function takeLock(): Promise<void> {
  mkdirSync(join(lockDir, '..'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      return;
    } catch {
      // Another worker builds: wait for it to release the lock (a condition, polled).
      if (Date.now() > deadline) rmSync(lockDir, { recursive: true, force: true });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** Builds the screens unless the last build is of the same sources; tells whether it built. */
export async function ensureRendererBuilt(): Promise<boolean> {
  const hash = sourceHash();
  if (isFresh(hash)) return false;
  await takeLock();
  try {
    if (isFresh(hash)) return false;
    await viteBuild();
    writeFileSync(stampFile, hash);
    return true;
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

/**
 * `vite build` in a child process: Vitest sets NODE_ENV=test, which would make Vite ship React's
 * development build (StrictMode double effects, no minification) — not what the hub serves.
 */
function viteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        join(repoRoot, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'renderer/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build failed:\n${err}`)),
    );
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log('Checking the screens build (renderer/dist)…');
  const built = await ensureRendererBuilt();
  console.log(built ? 'Screens built.' : 'Screens are up to date.');
}
