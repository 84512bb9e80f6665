// The hidden staff gesture on a touch screen without a keyboard: five taps in the top-left
// corner within three seconds. Pure, so it is tested without a DOM.

export const CORNER_SIZE_PX = 64;
export const TAPS_NEEDED = 5;
export const WINDOW_MS = 3000;

export function createCornerTapCounter(now: () => number = Date.now) {
  let taps: number[] = [];
  return {
    /** Records a tap; true when this tap completes the gesture. */
    tap(x: number, y: number): boolean {
      if (x > CORNER_SIZE_PX || y > CORNER_SIZE_PX) {
        taps = [];
        return false;
      }
      const at = now();
      taps = [...taps.filter((t) => at - t < WINDOW_MS), at];
      if (taps.length < TAPS_NEEDED) return false;
      taps = [];
      return true;
    },
  };
}
