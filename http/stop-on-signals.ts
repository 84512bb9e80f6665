// A hub or server run from the command line stops cleanly on SIGTERM (systemd, a supervisor) and
// Ctrl+C: the listener closes, in-flight requests finish, the database closes, then the process
// exits 0 (1 if stopping failed).
import type { FastifyBaseLogger } from 'fastify';

export interface StoppableService {
  app: { log: FastifyBaseLogger };
  stop(): Promise<void>;
}

export function stopOnSignals(running: StoppableService): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    running.app.log.info({ signal }, 'shutting down');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}
