// Hybrid logical clock (Kulkarni et al., 2014): a stamp that follows physical time when clocks
// agree and still orders "happened before" correctly when they do not. Pure functions over an
// immutable value, so the hub, the kiosk agent and the server share one implementation and tests
// can drive time by hand.
//
// Encoded as `wall.counter.node` with fixed-width decimal fields, so comparing two stamps as
// strings is comparing them as clocks (node breaks ties, giving a total order).

export interface Hlc {
  /** Milliseconds since the Unix epoch: the largest physical time this clock has seen. */
  readonly wall: number;
  /** Orders events that share one `wall`. */
  readonly counter: number;
  /** The device id that owns the clock. */
  readonly node: string;
}

const WALL_DIGITS = 15;
const COUNTER_DIGITS = 6;
/** Past this many events in one millisecond the clock borrows the next millisecond. */
export const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;
const MAX_WALL = 10 ** WALL_DIGITS - 1;
/**
 * A remote stamp further ahead of our physical clock than this is clamped: one machine whose
 * clock says 2031 must not drag every clock of the branch into 2031.
 */
export const MAX_REMOTE_AHEAD_MS = 60 * 60 * 1000;

const NODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const HLC_PATTERN = /^(\d{15})\.(\d{6})\.([A-Za-z0-9_-]{1,64})$/;

export function createHlc(node: string, wall = 0): Hlc {
  if (!NODE_PATTERN.test(node)) throw new Error(`invalid HLC node "${node}"`);
  return { wall: clampWall(wall), counter: 0, node };
}

export function encodeHlc(clock: Hlc): string {
  return `${String(clock.wall).padStart(WALL_DIGITS, '0')}.${String(clock.counter).padStart(COUNTER_DIGITS, '0')}.${clock.node}`;
}

/** Parses a stamp; null when it is not one (callers decide whether that is an error). */
export function decodeHlc(stamp: string): Hlc | null {
  const match = HLC_PATTERN.exec(stamp);
  if (!match) return null;
  return { wall: Number(match[1]), counter: Number(match[2]), node: match[3] as string };
}

/** Negative, zero or positive like a comparator; the same order as comparing encoded strings. */
export function compareHlc(a: Hlc, b: Hlc): number {
  if (a.wall !== b.wall) return a.wall - b.wall;
  if (a.counter !== b.counter) return a.counter - b.counter;
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0;
}

/** The stamp of a local event (or of a message about to be sent) at physical time `now`. */
export function tickHlc(clock: Hlc, now: number): Hlc {
  const wall = Math.max(clock.wall, clampWall(now));
  return normalise(clock.node, wall, wall === clock.wall ? clock.counter + 1 : 0);
}

export interface ReceivedHlc {
  /** The clock after the receipt: strictly after both the old clock and the (clamped) remote stamp. */
  clock: Hlc;
  /** True when the remote stamp was too far ahead and was clamped; the caller should log it. */
  clamped: boolean;
}

/** Merges a stamp received from another device at physical time `now`. */
export function receiveHlc(
  clock: Hlc,
  remote: Pick<Hlc, 'wall' | 'counter'>,
  now: number,
  maxAheadMs: number = MAX_REMOTE_AHEAD_MS,
): ReceivedHlc {
  const physical = clampWall(now);
  // Measured from physical time only: a clock already pushed ahead must not ratchet further.
  const limit = physical + maxAheadMs;
  const clamped = remote.wall > limit;
  // A clamped stamp counts as "limit, counter 0": it still moves us forward, but only so far.
  const remoteWall = clamped ? limit : clampWall(remote.wall);
  const remoteCounter = clamped ? 0 : remote.counter;
  const wall = Math.max(clock.wall, remoteWall, physical);
  let counter: number;
  if (wall === clock.wall && wall === remoteWall)
    counter = Math.max(clock.counter, remoteCounter) + 1;
  else if (wall === clock.wall) counter = clock.counter + 1;
  else if (wall === remoteWall) counter = remoteCounter + 1;
  else counter = 0;
  return { clock: normalise(clock.node, wall, counter), clamped };
}

function normalise(node: string, wall: number, counter: number): Hlc {
  // Borrowing the next millisecond keeps the stamp fixed-width and still strictly increasing.
  if (counter > MAX_COUNTER) return { wall: clampWall(wall + 1), counter: 0, node };
  return { wall, counter, node };
}

function clampWall(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) return 0;
  return Math.min(Math.trunc(ms), MAX_WALL);
}
