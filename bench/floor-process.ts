// Starts bench/floor-server.ts as a child process (like the hub, so both are timed the same way).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { pinHubProcess } from './pinning';

const SERVER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'floor-server.ts');

export interface FloorServer {
  url: string;
  stop(): Promise<void>;
}

/** The options are bench/floor-server.ts's flags (default: none of them). */
export async function startFloorServer(
  dir: string,
  options: {
    indexes?: number;
    hubCheckpoints?: boolean;
    pageSize?: number;
    noCheckpoint?: boolean;
  } = {},
): Promise<FloorServer> {
  const flags = [
    ...(options.indexes ? ['--indexes', String(options.indexes)] : []),
    ...(options.hubCheckpoints ? ['--hub-checkpoints'] : []),
    ...(options.pageSize ? ['--page-size', String(options.pageSize)] : []),
    ...(options.noCheckpoint ? ['--no-checkpoint'] : []),
  ];
  const child = spawn(process.execPath, ['--import', 'tsx', SERVER, dir, ...flags], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
    void exited.then(() => reject(new Error('the floor server exited before listening')));
  });
  pinHubProcess(child.pid!);
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
