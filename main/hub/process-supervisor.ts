// Keeps one child process alive: starts it, and when it exits without being asked to, starts it
// again after the backoff delay. Knows nothing of Electron: the child is any object with an exit
// callback and a kill(), so the hub's utilityProcess and the tests' fakes both fit.
import {
  failuresAfterDeath,
  restartDelay,
  HUB_RESTART_POLICY,
  type BackoffPolicy,
} from './restart-backoff';

export interface SupervisedChild {
  onExit(listener: (code: number) => void): void;
  kill(): void;
}

export interface SupervisorClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type SupervisorEvent =
  | { type: 'started'; attempt: number }
  | { type: 'exited'; code: number; uptimeMs: number }
  | { type: 'restart-scheduled'; delayMs: number; failures: number }
  | { type: 'stopped' };

export interface SupervisorOptions {
  start(): SupervisedChild;
  clock?: SupervisorClock;
  policy?: BackoffPolicy;
  onEvent?(event: SupervisorEvent): void;
}

const realClock: SupervisorClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class ProcessSupervisor {
  private child: SupervisedChild | null = null;
  private startedAt = 0;
  private failures = 0;
  private attempts = 0;
  private pendingRestart: unknown = null;
  private stopping = false;
  private readonly clock: SupervisorClock;
  private readonly policy: BackoffPolicy;

  constructor(private readonly options: SupervisorOptions) {
    this.clock = options.clock ?? realClock;
    this.policy = options.policy ?? HUB_RESTART_POLICY;
  }

  get running(): boolean {
    return this.child !== null;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  start(): void {
    if (this.child || this.stopping) return;
    this.pendingRestart = null;
    this.attempts += 1;
    this.startedAt = this.clock.now();
    const child = this.options.start();
    this.child = child;
    child.onExit((code) => this.handleExit(child, code));
    this.options.onEvent?.({ type: 'started', attempt: this.attempts });
  }

  /** Stops for good (app quitting): no restart after this. */
  stop(): void {
    this.stopping = true;
    if (this.pendingRestart !== null) this.clock.clearTimeout(this.pendingRestart);
    this.pendingRestart = null;
    const child = this.child;
    this.child = null;
    child?.kill();
    this.options.onEvent?.({ type: 'stopped' });
  }

  private handleExit(child: SupervisedChild, code: number): void {
    if (this.child !== child) return; // an old child, or one we stopped on purpose
    this.child = null;
    const uptimeMs = this.clock.now() - this.startedAt;
    this.options.onEvent?.({ type: 'exited', code, uptimeMs });
    if (this.stopping) return;
    this.failures = failuresAfterDeath(this.failures, uptimeMs, this.policy);
    const delayMs = restartDelay(this.failures, this.policy);
    this.options.onEvent?.({ type: 'restart-scheduled', delayMs, failures: this.failures });
    this.pendingRestart = this.clock.setTimeout(() => this.start(), delayMs);
  }
}
