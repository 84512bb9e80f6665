// The movable clock of the fault suite's hub and agent processes: the system clock plus an offset
// the parent sets over IPC ({clockOffsetMs}, for clock jumps of up to ±10 minutes). Messages are
// checked: anything else on the channel is ignored.
import { z } from 'zod';
import type { Clock } from '../../hub/clock';

const ClockMessage = z.object({ clockOffsetMs: z.number().int() });

export function ipcClock(initialOffsetMs: number): Clock {
  let offsetMs = initialOffsetMs;
  process.on('message', (message: unknown) => {
    const parsed = ClockMessage.safeParse(message);
    if (parsed.success) offsetMs = parsed.data.clockOffsetMs;
  });
  return { now: () => Date.now() + offsetMs };
}
