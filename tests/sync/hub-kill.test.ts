// A hub process SIGKILLed in the middle of pushing a backlog to the central server, then started
// again WITHOUT the --central flags: it resumes from the acknowledgement it persisted, with the
// link it stored, and the server ends with every event once.
import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../hub/hub-context';
import { openHub } from '../../hub/hub';
import { databaseFile, REPO_ROOT } from '../../hub/run-hub';
import {
  demoFolder,
  eventually,
  serverBranch,
  serverTickets,
  startCentral,
  type Central,
} from './sync-harness';

const BIN = path.join(REPO_ROOT, 'bin', 'guichet.mjs');
const children = new Set<ChildProcess>();
let central: Central | undefined;
let dir: string | undefined;

afterEach(async () => {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  await central?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
  central = dir = undefined;
});

/** `guichet hub` as a child process; resolves once it prints its URL. */
function hubProcess(args: string[]): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'hub', '--host', '127.0.0.1', '--port', '0', '--log-level', 'warn', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`hub did not start: ${stderr}`)), 20_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`hub exited (${String(code)}): ${stderr}`));
    });
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('Guichet hub listening on')) return;
      clearTimeout(timer);
      resolve(child);
    });
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

describe('SIGKILL mid-sync', () => {
  it('resumes from the persisted acknowledgement: nothing lost, nothing duplicated', async () => {
    central = await startCentral();
    const c = central;
    const folder = demoFolder();
    dir = folder.dir;
    // A backlog big enough to take several pushes: 3,000 tickets written while "offline".
    const seeded = openHub(databaseFile(dir));
    let total: number;
    let deviceId: string;
    let day: string;
    try {
      runCommand(seeded.ctx, () => {
        for (let i = 0; i < 3_000; i++)
          seeded.tickets.issue({ serviceId: i % 2 ? 'passeports' : 'etat-civil' }, seeded.system);
      });
      total = seeded.ctx.outbox.lastOwnSeq();
      deviceId = seeded.ctx.outbox.deviceId;
      day = seeded.branch.businessDayNow();
    } finally {
      seeded.close();
    }

    const first = await hubProcess([
      '--data',
      dir,
      '--central',
      c.url,
      '--central-token',
      c.branchToken,
    ]);
    const ackAtKill = await eventually(
      async () => (await serverBranch(c)).devices.find((d) => d.deviceId === deviceId)?.ackSeq,
      'a first acknowledgement',
      20_000,
    );
    await killed(first);
    expect(ackAtKill).toBeGreaterThan(0);

    // Restarted without --central: the link, the token and the ack come from the database.
    const second = await hubProcess(['--data', dir]);
    await eventually(
      async () => {
        const device = (await serverBranch(c)).devices.find((d) => d.deviceId === deviceId);
        return device?.ackSeq === total ? true : undefined;
      },
      'the whole log acknowledged after the restart',
      20_000,
    );
    await killed(second);
    const branch = await serverBranch(c);
    expect(branch.eventCount).toBe(total);
    expect(branch.devices).toHaveLength(1);
    const tickets = await serverTickets(c, day);
    expect(tickets).toHaveLength(3_000);
    expect(new Set(tickets.map((t) => `${t.serviceId}/${t.number}`)).size).toBe(3_000);
  });
});
