// For the stores' own tests: the demo branch's hub opened in-process on a fresh SQLite file in a
// temp folder, with a clock the test sets by hand. `close` closes it and deletes the folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initDemoBranch } from '../branch-setup';
import { ManualClock } from '../clock';
import { openHub, type Hub } from '../hub';

export interface DemoHubOnDisk {
  hub: Hub;
  clock: ManualClock;
  close(): void;
}

export function openDemoHubOnDisk(label: string, startMs: number): DemoHubOnDisk {
  const dir = mkdtempSync(path.join(tmpdir(), `guichet-${label}-`));
  const clock = new ManualClock(startMs);
  const hub = openHub(path.join(dir, 'hub.db'), clock);
  initDemoBranch(hub);
  return {
    hub,
    clock,
    close: () => {
      hub.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
