import { describe, expect, it } from 'vitest';
import type { SpeechEngine } from './engine';
import { AnnouncementQueue, type Announcement } from './queue';
import { announcementSentences } from './phrases';

/** A recorder engine whose sentences finish only when the test says so. */
function manualEngine() {
  const log: string[] = [];
  const finishers: (() => void)[] = [];
  const step = (entry: string) =>
    new Promise<void>((resolve) => {
      log.push(entry);
      finishers.push(resolve);
    });
  const engine: SpeechEngine = {
    chime: () => step('chime'),
    speak: (text, lang) => step(`${lang}: ${text}`),
  };
  const finishOne = async () => {
    finishers.shift()?.();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { engine, log, finishOne };
}

const call = (key: string, text: string): Announcement => ({
  key,
  sentences: [{ lang: 'fr', text }],
});

describe('AnnouncementQueue', () => {
  it('never cuts an announcement: the next one starts after the last sentence', async () => {
    const { engine, log, finishOne } = manualEngine();
    const queue = new AnnouncementQueue(engine);
    queue.enqueue({
      key: 'e1',
      sentences: [
        { lang: 'en', text: 'Ticket A 1, counter 1' },
        { lang: 'fr', text: 'Le ticket A 1 est attendu au guichet 1' },
      ],
    });
    await Promise.resolve();
    queue.enqueue(call('e2', 'B 2'));
    expect(log).toEqual(['chime']);
    await finishOne();
    expect(log).toEqual(['chime', 'en: Ticket A 1, counter 1']);
    await finishOne();
    await finishOne();
    expect(log.slice(2)).toEqual(['fr: Le ticket A 1 est attendu au guichet 1', 'chime']);
    await finishOne();
    await finishOne();
    expect(log.at(-1)).toBe('fr: B 2');
    await queue.whenIdle();
    expect(queue.size).toBe(0);
  });

  it('announces in arrival order, a recall again, and the same event only once', async () => {
    const log: string[] = [];
    const engine: SpeechEngine = {
      chime: async () => void log.push('chime'),
      speak: async (text) => void log.push(text),
    };
    const queue = new AnnouncementQueue(engine);
    queue.enqueue(call('e1', 'A 1'));
    queue.enqueue(call('e2', 'B 1'));
    expect(queue.enqueue(call('e2', 'B 1'))).toBe(false); // duplicate delivery
    queue.enqueue(call('e3', 'A 1')); // recall: a new event, said again
    await queue.whenIdle();
    expect(log).toEqual(['chime', 'A 1', 'chime', 'B 1', 'chime', 'A 1']);
  });

  it('keeps going when the engine fails', async () => {
    const said: string[] = [];
    const engine: SpeechEngine = {
      chime: () => Promise.reject(new Error('no audio device')),
      speak: async (text) => {
        if (text === 'boom') throw new Error('no voice');
        said.push(text);
      },
    };
    const queue = new AnnouncementQueue(engine);
    queue.enqueue(call('e1', 'boom'));
    queue.enqueue(call('e2', 'C 3'));
    await queue.whenIdle();
    expect(said).toEqual(['C 3']);
  });

  it('drops the oldest pending announcements beyond the cap, not the one being said', async () => {
    const { engine, log, finishOne } = manualEngine();
    const queue = new AnnouncementQueue(engine, { maxPending: 2 });
    for (const n of [1, 2, 3, 4]) queue.enqueue(call(`e${n}`, `A ${n}`));
    for (let i = 0; i < 6; i++) await finishOne();
    expect(log.filter((l) => l !== 'chime')).toEqual(['fr: A 1', 'fr: A 3', 'fr: A 4']);
  });
});

describe('announcement sentences', () => {
  const branch = {
    defaultLang: 'fr',
    announcementTemplates: {
      fr: 'Le ticket {number} est attendu au guichet {counter}',
      en: 'Ticket {number}, counter {counter}',
    },
  };

  it('speaks the ticket language, then the branch language, spelling the number', () => {
    expect(
      announcementSentences({ number: 'A042', counterName: 'Guichet 3', ticketLang: 'en' }, branch),
    ).toEqual([
      { lang: 'en', text: 'Ticket A 42, counter 3' },
      { lang: 'fr', text: 'Le ticket A 42 est attendu au guichet 3' },
    ]);
  });

  it('says it once when both are the same, and falls back to our phrase', () => {
    expect(
      announcementSentences({ number: 'B007', counterName: '2', ticketLang: 'fr' }, branch),
    ).toHaveLength(1);
    const [first] = announcementSentences(
      { number: 'C010', counterName: '4', ticketLang: 'ar' },
      branch,
    );
    expect(first?.lang).toBe('ar');
    expect(first?.text).toContain('C 10');
  });
});
