// The speech engine: the only part of announcing that touches audio. The queue (queue.ts) decides
// what is said and when; an engine only knows how to chime and how to say one sentence. Tests
// swap this object alone for a recorder (window.__guichetSpeechEngine), keeping the real queue.

export interface SpeechEngine {
  /** Play the attention chime; resolves when it has finished (or failed). */
  chime(): Promise<void>;
  /** Say one sentence in `lang`; resolves when it has been spoken (or failed). */
  speak(text: string, lang: string): Promise<void>;
}

declare global {
  interface Window {
    /** Test hook: an engine installed before the display starts replaces the browser's. */
    __guichetSpeechEngine?: SpeechEngine;
  }
}

/** The Web Speech API plus an <audio> chime. Never throws: a silent TV must still show calls. */
export class BrowserSpeechEngine implements SpeechEngine {
  /** Set when the browser refused to play sound until someone interacts with the page. */
  onBlocked: ((blocked: boolean) => void) | null = null;

  constructor(private readonly chimeUrl: string) {}

  chime(): Promise<void> {
    return new Promise((resolve) => {
      const audio = new Audio(this.chimeUrl);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // Some TV browsers never fire "ended": don't let the queue hang on them.
      const timer = setTimeout(done, 4000);
      audio.addEventListener('ended', done, { once: true });
      audio.addEventListener('error', done, { once: true });
      audio.play().then(
        () => this.onBlocked?.(false),
        () => {
          this.onBlocked?.(true);
          done();
        },
      );
    });
  }

  speak(text: string, lang: string): Promise<void> {
    return new Promise((resolve) => {
      if (!('speechSynthesis' in window)) return resolve();
      const utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      const voice = pickVoice(speechSynthesis.getVoices(), lang);
      if (voice) utterance.voice = voice;
      utterance.rate = 0.9; // A touch slower: read across a noisy room.
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      // Chrome sometimes drops "end" events; cap the wait by the sentence's length.
      const timer = setTimeout(done, 3000 + text.length * 120);
      utterance.onend = done;
      utterance.onerror = done;
      speechSynthesis.speak(utterance);
    });
  }

  /** Called from a user gesture ("turn sound on") so later autoplay is allowed. */
  async unlock(): Promise<void> {
    const audio = new Audio(this.chimeUrl);
    audio.volume = 0;
    await audio.play().catch(() => undefined);
    this.onBlocked?.(false);
  }
}

export function pickVoice(
  voices: readonly SpeechSynthesisVoice[],
  lang: string,
): SpeechSynthesisVoice | undefined {
  const wanted = lang.toLowerCase();
  return (
    voices.find((v) => v.lang.toLowerCase() === wanted) ??
    voices.find((v) => v.lang.toLowerCase().startsWith(`${wanted.split('-')[0]}-`)) ??
    voices.find((v) => v.lang.toLowerCase() === wanted.split('-')[0])
  );
}
