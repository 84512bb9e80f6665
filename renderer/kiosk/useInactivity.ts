import { useCallback, useEffect, useRef } from 'react';

/**
 * Calls `onIdle` once `timeoutSec` passed without any touch, click or key press since the last
 * interaction — only if someone interacted at all, so an untouched kiosk is left alone. Returns
 * `arm`, for activity that is no DOM event (a scan by the hub's serial scanner).
 */
export function useInactivity(timeoutSec: number, onIdle: () => void): () => void {
  const onIdleRef = useRef(onIdle);
  useEffect(() => {
    onIdleRef.current = onIdle;
  });
  const armRef = useRef<() => void>(() => undefined);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => onIdleRef.current(), Math.max(5, timeoutSec) * 1000);
    };
    armRef.current = arm;
    const events = ['pointerdown', 'keydown', 'input', 'wheel'] as const;
    for (const e of events) window.addEventListener(e, arm, { capture: true, passive: true });
    return () => {
      clearTimeout(timer);
      for (const e of events) window.removeEventListener(e, arm, { capture: true });
    };
  }, [timeoutSec]);
  return useCallback(() => armRef.current(), []);
}
