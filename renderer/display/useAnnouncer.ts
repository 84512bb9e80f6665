// The display's voice: one queue for the page's lifetime, fed with live calls only.
import { useCallback, useMemo, useState } from 'react';
import chimeUrl from '../../resources/sounds/chime.wav?url';
import { BrowserSpeechEngine, type SpeechEngine } from './announcer/engine';
import { AnnouncementQueue } from './announcer/queue';

export interface Announcer {
  queue: AnnouncementQueue;
  /** The browser refused sound until someone touches the screen. */
  soundBlocked: boolean;
  unlockSound: () => void;
}

export function useAnnouncer(): Announcer {
  const [soundBlocked, setSoundBlocked] = useState(false);
  const { queue, browser } = useMemo(() => {
    // A test may install its own engine (a recorder) before the page loads: only the engine is
    // swapped, the real queue still decides order and timing.
    const injected: SpeechEngine | undefined = window.__guichetSpeechEngine;
    const browserEngine = injected ? null : new BrowserSpeechEngine(chimeUrl);
    if (browserEngine) browserEngine.onBlocked = setSoundBlocked;
    const engine: SpeechEngine = injected ?? (browserEngine as BrowserSpeechEngine);
    return { queue: new AnnouncementQueue(engine), browser: browserEngine };
  }, []);
  const unlockSound = useCallback(() => void browser?.unlock(), [browser]);
  return { queue, soundBlocked, unlockSound };
}
