// The CLI functions on a real data folder (SQLite) and through commander, as `guichet` runs them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ServerCliError } from './options';
import { openStore } from '../store/open-store';
import { hashToken } from '../store/tokens';
import { BranchAddFlags, ServerFlags } from './options';
import { registerServerCommands, serverBranchAdd, serverInit } from './server-commands';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'guichet-server-cli-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  vi.restoreAllMocks();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('guichet server commands', () => {
  it('init makes an admin token and branch add a branch with its token', async () => {
    const data = tempDir();
    const { adminToken } = await serverInit({ data, json: true });
    const { branchId, token } = await serverBranchAdd({ data, name: 'Centre', json: true });
    expect(adminToken).toMatch(/^gsa_/);
    const store = await openStore({ dataDir: data });
    try {
      expect(await store.isAdminToken(hashToken(adminToken))).toBe(true);
      expect(await store.branchIdForToken(hashToken(token))).toBe(branchId);
    } finally {
      await store.close();
    }
    await expect(
      serverBranchAdd({ data, name: 'Again', id: branchId, json: true }),
    ).rejects.toThrow(ServerCliError);
  });

  it('parses flags from the command line, including after the subcommand name', async () => {
    const data = tempDir();
    const printed: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void printed.push(line));
    const program = new Command('guichet').exitOverride();
    registerServerCommands(program);
    await program.parseAsync(['server', 'init', '--data', data, '--json'], { from: 'user' });
    await program.parseAsync(
      ['server', 'branch', 'add', '--data', data, '--name', 'Nord', '--json'],
      {
        from: 'user',
      },
    );
    expect(Object.keys(JSON.parse(printed[0] as string))).toEqual(['adminToken']);
    expect(Object.keys(JSON.parse(printed[1] as string))).toEqual(['branchId', 'token']);
    // A flag mistake is one line on stderr and exit code 2, not a stack trace.
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    await program.parseAsync(['server', 'branch', 'add', '--data', data, '--name', ' '], {
      from: 'user',
    });
    expect(errors[0]).toMatch(/^guichet: Invalid options:\n {2}--name/);
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
  });

  it('validates flags', () => {
    expect(ServerFlags.parse({ data: 'd' })).toMatchObject({ host: '0.0.0.0', port: 4290 });
    expect(ServerFlags.safeParse({ data: 'd', port: '70000' }).success).toBe(false);
    expect(ServerFlags.safeParse({ data: 'd', database: 'mysql://x' }).success).toBe(false);
    expect(BranchAddFlags.safeParse({ data: 'd', name: ' ' }).success).toBe(false);
  });
});
