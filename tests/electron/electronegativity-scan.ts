// Runs Electronegativity (Doyensec's Electron security scanner) over main/ and preload/, offline.
// Its parser predates TypeScript 4.9 (`satisfies`), so each source file is first transpiled to
// JavaScript with esbuild, file by file (no bundling: only our code is scanned, not zod's).
// Its CLI is broken with the commander version hoisted in this repository, so we call its
// programmatic entry. The one check that needs the internet (downloading Electron's release list
// to compare versions) is left out; Electron's version is Dependabot's and the lead's business.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { transformSync } from 'esbuild';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SCANNED = ['main', 'preload'];
const ONLINE_ONLY_CHECKS = ['availablesecurityfixesglobalcheck'];

export interface Finding {
  id: string;
  severity: string;
  confidence: string;
  file: string;
  line: number;
  manualReview: boolean;
  description: string;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.(ts|html)$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** Transpiles the scanned folders into a temporary copy and returns its path. */
export function stageSources(): string {
  const stage = mkdtempSync(path.join(os.tmpdir(), 'guichet-electronegativity-'));
  // Tells the scanner which Electron it is looking at (its version checks read package.json).
  writeFileSync(
    path.join(stage, 'package.json'),
    JSON.stringify({ name: 'guichet-shell', devDependencies: { electron: '40.10.2' } }),
  );
  for (const folder of SCANNED)
    for (const file of sources(path.join(repoRoot, folder))) {
      const relative = path.relative(repoRoot, file);
      const target = path.join(stage, relative.replace(/\.ts$/, '.js'));
      mkdirSync(path.dirname(target), { recursive: true });
      const text = readFileSync(file, 'utf8');
      writeFileSync(
        target,
        file.endsWith('.ts') ? transformSync(text, { loader: 'ts', format: 'esm' }).code : text,
      );
    }
  return stage;
}

interface RawIssue {
  id: string;
  file: string;
  location: { line: number };
  severity: { name: string };
  confidence: { name: string };
  manualReview: boolean;
  description: string;
}

export interface ScanResult {
  checks: number;
  filesWithParseErrors: string[];
  findings: Finding[];
}

export async function scan(): Promise<ScanResult> {
  const stage = stageSources();
  const require = createRequire(import.meta.url);
  const run = require('@doyensec/electronegativity') as (
    options: Record<string, unknown>,
  ) => Promise<{
    globalChecks: number;
    atomicChecks: number;
    errors: { file: string; message: string; tolerable: boolean }[];
    issues: RawIssue[];
  }>;
  const result = await run({
    input: stage,
    output: path.join(stage, 'electronegativity.csv'),
    isSarif: false,
    customScan: [],
    excludeFromScan: ONLINE_ONLY_CHECKS,
    electronVersionOverride: '40.10.2',
    isRelative: true,
  });
  const findings = result.issues.map((issue) => ({
    id: issue.id,
    severity: issue.severity.name,
    confidence: issue.confidence.name,
    file: issue.file,
    line: issue.location.line,
    manualReview: issue.manualReview,
    description: issue.description,
  }));
  return {
    checks: result.globalChecks + result.atomicChecks,
    filesWithParseErrors: result.errors
      .filter((e) => !e.tolerable)
      .map((e) => `${e.file}: ${e.message}`),
    findings,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { checks, filesWithParseErrors, findings } = await scan();
  for (const problem of filesWithParseErrors) console.log(`could not parse ${problem}`);
  for (const f of findings)
    console.log(`${f.severity}\t${f.confidence}\t${f.id}\t${f.file}:${f.line}`);
  const serious = findings.filter((f) => f.severity === 'HIGH' || f.severity === 'MEDIUM');
  console.log(`${checks} checks, ${findings.length} findings, ${serious.length} high or medium`);
  process.exitCode = serious.length > 0 ? 1 : 0;
}
