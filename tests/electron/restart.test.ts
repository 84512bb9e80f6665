import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ProcessSupervisor,
  type SupervisedChild,
  type SupervisorEvent,
} from '../../main/hub/process-supervisor';
import {
  failuresAfterDeath,
  restartDelay,
  HUB_RESTART_POLICY,
} from '../../main/hub/restart-backoff';
import { decideRecovery } from '../../main/windows/renderer-recovery';

/** A child process that the test kills (or that "crashes") on demand. */
class FakeChild implements SupervisedChild {
  killed = false;
  private listener: ((code: number) => void) | null = null;
  onExit(listener: (code: number) => void): void {
    this.listener = listener;
  }
  kill(): void {
    this.killed = true;
    this.listener?.(0);
  }
  crash(code = 1): void {
    this.listener?.(code);
  }
}

describe('restart backoff', () => {
  it('doubles from 500 ms and stops growing at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map((n) => restartDelay(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(restartDelay(0)).toBe(0);
  });

  it('forgives past failures once the process stayed up a minute', () => {
    expect(failuresAfterDeath(6, 59_999)).toBe(7);
    expect(failuresAfterDeath(6, HUB_RESTART_POLICY.stableAfterMs)).toBe(1);
  });
});

describe('process supervisor', () => {
  let children: FakeChild[];
  let events: SupervisorEvent[];
  let supervisor: ProcessSupervisor;

  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
    children = [];
    events = [];
    supervisor = new ProcessSupervisor({
      start: () => {
        const child = new FakeChild();
        children.push(child);
        return child;
      },
      clock: {
        now: () => Date.now(),
        setTimeout: (callback, ms) => setTimeout(callback, ms),
        clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      },
      onEvent: (event) => events.push(event),
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('restarts a crashing hub after 0.5, 1, 2, 4 s … and not before', () => {
    supervisor.start();
    for (const delay of [500, 1000, 2000, 4000]) {
      children.at(-1)?.crash();
      expect(supervisor.running).toBe(false);
      vi.advanceTimersByTime(delay - 1);
      expect(supervisor.running).toBe(false);
      vi.advanceTimersByTime(1);
      expect(supervisor.running).toBe(true);
    }
    expect(children).toHaveLength(5);
    expect(events.filter((e) => e.type === 'restart-scheduled')).toEqual([
      { type: 'restart-scheduled', delayMs: 500, failures: 1 },
      { type: 'restart-scheduled', delayMs: 1000, failures: 2 },
      { type: 'restart-scheduled', delayMs: 2000, failures: 3 },
      { type: 'restart-scheduled', delayMs: 4000, failures: 4 },
    ]);
  });

  it('restarts at once-ish (500 ms) after a crash that follows a long stable run', () => {
    supervisor.start();
    children.at(-1)?.crash();
    vi.advanceTimersByTime(500);
    children.at(-1)?.crash();
    vi.advanceTimersByTime(1000);
    expect(supervisor.consecutiveFailures).toBe(2);
    vi.advanceTimersByTime(10 * 60_000); // up for ten minutes
    children.at(-1)?.crash(139);
    expect(events.at(-1)).toEqual({ type: 'restart-scheduled', delayMs: 500, failures: 1 });
  });

  it('does not restart after stop(), even with a restart pending', () => {
    supervisor.start();
    children.at(-1)?.crash();
    supervisor.stop();
    vi.advanceTimersByTime(60_000);
    expect(children).toHaveLength(1);
    expect(supervisor.running).toBe(false);
  });

  it('kills the running child on stop() and does not count that as a crash', () => {
    supervisor.start();
    supervisor.stop();
    expect(children[0]?.killed).toBe(true);
    expect(events.some((e) => e.type === 'restart-scheduled')).toBe(false);
  });

  it('never runs two children at once', () => {
    supervisor.start();
    supervisor.start();
    expect(children).toHaveLength(1);
  });
});

describe('renderer recovery', () => {
  it('reloads a crashed screen, backing off when it keeps crashing at load', () => {
    let state = { failures: 0, lastLoadAt: 0 };
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const decision = decideRecovery('crashed', state, 1_000);
      expect(decision.action).toBe('reload');
      delays.push(decision.delayMs);
      state = decision.state;
    }
    expect(delays).toEqual([250, 500, 1000, 2000]);
  });

  it('reloads at the first delay when the page had been fine for minutes', () => {
    const decision = decideRecovery('oom', { failures: 5, lastLoadAt: 0 }, 5 * 60_000);
    expect(decision).toMatchObject({ action: 'reload', delayMs: 250 });
  });

  it('ignores a clean exit (we closed the window ourselves)', () => {
    expect(decideRecovery('clean-exit', { failures: 0, lastLoadAt: 0 }, 10).action).toBe('ignore');
  });
});
