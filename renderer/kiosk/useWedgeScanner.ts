// Listens for a USB "keyboard wedge" barcode scanner anywhere on the page: a fast, even burst of
// keys ended by Enter (core/input/wedge-detector.ts). People typing are left alone; the Enter that
// ends a scan is swallowed so it neither presses the focused button nor submits a form.
import { useEffect, useRef } from 'react';
import { createWedgeDetector } from '../../core/input/wedge-detector';

export function useWedgeScanner(enabled: boolean, onScan: (text: string) => void): void {
  const onScanRef = useRef(onScan);
  useEffect(() => {
    onScanRef.current = onScan;
  });
  useEffect(() => {
    if (!enabled) return;
    const detector = createWedgeDetector();
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing) {
        detector.reset();
        return;
      }
      const verdict = detector.push({ key: e.key, t: e.timeStamp });
      // Only a burst its scanner ended (Enter/Tab) is a scan; a burst cut by a pause is not.
      if (!verdict?.scanner || (e.key !== 'Enter' && e.key !== 'Tab')) return;
      e.preventDefault();
      e.stopPropagation();
      onScanRef.current(verdict.text);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [enabled]);
}
