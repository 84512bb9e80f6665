// `npm run bench -- --pin`: the hub process on the machine's last CPU, the bench process (the
// client) on the others, so on a small machine the client's own work and garbage collection do
// not take the hub's core from it. Linux only (taskset, from util-linux).
import { execFileSync } from 'node:child_process';
import os from 'node:os';

let pinning = false;

/** Turns pinning on for the hubs started from now on and pins this process; false if impossible. */
export function enablePinning(): boolean {
  const cpus = os.availableParallelism();
  if (cpus < 2) return false;
  try {
    taskset(`0-${cpus - 2}`, process.pid);
  } catch {
    return false;
  }
  pinning = true;
  return true;
}

/** Pins a hub process (all its threads) to the last CPU when pinning is on. */
export function pinHubProcess(pid: number): void {
  if (pinning) taskset(String(os.availableParallelism() - 1), pid);
}

function taskset(cpuList: string, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', cpuList, String(pid)], {
    stdio: 'ignore',
  });
}
