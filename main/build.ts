// Bundles the Electron side with esbuild into dist/electron/: the main process (ESM), the hub's
// utility process (ESM), the preload (CommonJS: sandboxed preloads cannot load ES modules) and
// the shell's own pages. npm packages stay external: electron-builder ships node_modules, with
// better-sqlite3 and serialport rebuilt for Electron. `tsx main/build.ts [--production]`.
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type BuildOptions } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = path.join(repoRoot, 'dist', 'electron');

export interface ShellBuild {
  mainEntry: string;
  preload: string;
  hubEntry: string;
  shellDir: string;
}

export async function buildShell(options: { production: boolean }): Promise<ShellBuild> {
  const common: BuildOptions = {
    bundle: true,
    sourcemap: options.production ? false : 'linked',
    minify: false,
    logLevel: 'warning',
    define: { 'process.env.GUICHET_PRODUCTION': JSON.stringify(options.production ? '1' : '') },
  };
  const node: BuildOptions = {
    ...common,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    packages: 'external',
    external: ['electron'],
  };
  const out = (name: string) => path.join(OUT_DIR, name);
  await Promise.all([
    build({
      ...node,
      entryPoints: [path.join(repoRoot, 'main/app/main.ts')],
      outfile: out('main.mjs'),
    }),
    build({
      ...node,
      entryPoints: [path.join(repoRoot, 'main/hub/hub-entry.ts')],
      outfile: out('hub-entry.mjs'),
    }),
    build({
      ...common,
      platform: 'browser',
      format: 'cjs',
      target: 'chrome140',
      external: ['electron'],
      entryPoints: [path.join(repoRoot, 'preload/preload.ts')],
      outfile: out('preload.cjs'),
    }),
    build({
      ...common,
      platform: 'browser',
      format: 'iife',
      target: 'chrome140',
      entryPoints: [
        path.join(repoRoot, 'main/shell-pages/setup.ts'),
        path.join(repoRoot, 'main/shell-pages/pin.ts'),
      ],
      outdir: out('shell'),
    }),
  ]);
  const pagesDir = path.join(repoRoot, 'main', 'shell-pages');
  mkdirSync(out('shell'), { recursive: true });
  for (const file of readdirSync(pagesDir))
    if (file.endsWith('.html') || file.endsWith('.css'))
      copyFileSync(path.join(pagesDir, file), path.join(out('shell'), file));
  return {
    mainEntry: out('main.mjs'),
    preload: out('preload.cjs'),
    hubEntry: out('hub-entry.mjs'),
    shellDir: out('shell'),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const production = process.argv.includes('--production');
  const result = await buildShell({ production });
  console.log(
    `Built the Electron shell${production ? ' (production)' : ''} in ${path.dirname(result.mainEntry)}`,
  );
}
