// The waiting-room TV: the latest call huge, previous calls, waiting per service, clock, branch.
// Only ticket numbers, services and counters appear here — never anything about a person.
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, CounterDto } from '../../core/api/schemas';
import type { HubEvent } from '../api';
import { ConnectionBadge } from '../shared/ConnectionBadge';
import { serviceName, spokenCounter } from '../shared/format';
import { callRecord, isCall, waitingByService, type CallRecord } from '../shared/lobby-state';
import { useLobby } from '../shared/useLobby';
import { useScreenLanguage } from '../shared/useScreenLanguage';
import { announcementSentences } from './announcer/phrases';
import { Clock } from './Clock';
import { useAnnouncer } from './useAnnouncer';

/** How many previous calls to list; a TV in portrait has room for more (?history=N). */
function historySize(): number {
  const n = Number(new URLSearchParams(location.search).get('history'));
  return Number.isInteger(n) && n > 0 && n <= 12 ? n : 5;
}

export function DisplayScreen() {
  const { t, i18n } = useTranslation();
  const announcer = useAnnouncer();
  // Read inside the stream callback, which must see the latest branch and counter names.
  const latest = useRef<{ branch: BranchDto | null; counters: CounterDto[] }>({
    branch: null,
    counters: [],
  });
  const onLiveEvent = (event: HubEvent) => {
    const branch = latest.current.branch;
    if (!isCall(event) || !branch) return;
    const call = callRecord(event);
    announcer.queue.enqueue({
      key: call.key,
      sentences: announcementSentences(
        {
          number: call.number,
          counterName: counterName(latest.current.counters, call.counterId),
          ticketLang: call.lang,
        },
        branch,
      ),
    });
  };
  const { lobby, connection, ready, syncStatus } = useLobby({ onLiveEvent });
  latest.current = { branch: lobby.branch, counters: lobby.counters };
  useScreenLanguage(lobby.branch?.defaultLang);

  const lang = i18n.language;
  const [current, ...previous] = lobby.calls;
  const history = previous.slice(0, historySize());
  const waiting = waitingByService(lobby);

  return (
    <div className="display" aria-busy={!ready}>
      <header className="display__header">
        <h1 className="display__branch">{lobby.branch?.name ?? t('common.appName')}</h1>
        <Clock lang={lang} timeZone={lobby.branch?.timeZone} />
      </header>

      <main className="display__main">
        <section className="display__now" aria-labelledby="now-title">
          <h2 id="now-title" className="display__label">
            {t('display.nowCalling')}
          </h2>
          <p className="visually-hidden" aria-live="polite">
            {current
              ? t('display.goTo', {
                  number: current.number,
                  counter: counterLabel(lobby.counters, current.counterId),
                })
              : ''}
          </p>
          {current ? (
            <CurrentCall key={current.key} call={current} counters={lobby.counters} />
          ) : (
            <p className="display__empty">{t('display.noCalls')}</p>
          )}
        </section>

        <section className="display__history" aria-labelledby="history-title">
          <h2 id="history-title" className="display__label">
            {t('display.history')}
          </h2>
          <ol className="history" data-testid="history">
            {history.map((call) => (
              <li key={call.ticketId} className="history__item" data-number={call.number}>
                <span className="history__number">{call.number}</span>
                <span className="history__arrow" aria-hidden="true">
                  {document.documentElement.dir === 'rtl' ? '←' : '→'}
                </span>
                <span className="history__counter">
                  <span className="visually-hidden">{t('display.counter')} </span>
                  {counterLabel(lobby.counters, call.counterId)}
                </span>
              </li>
            ))}
          </ol>
        </section>

        <section className="display__waiting" aria-labelledby="waiting-title">
          <h2 id="waiting-title" className="display__label">
            {t('display.waiting')}
          </h2>
          <ul className="waiting">
            {lobby.services.map((s) => (
              <li key={s.id} className="waiting__item" data-service={s.id}>
                <span className="waiting__prefix" aria-hidden="true">
                  {s.prefix}
                </span>
                <span className="waiting__name">
                  {serviceName(s, lang, lobby.branch?.defaultLang)}
                  {!s.open && <span className="waiting__closed"> · {t('display.closed')}</span>}
                </span>
                <span className="waiting__count" data-testid={`waiting-${s.id}`}>
                  {waiting.get(s.id) ?? 0}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </main>

      {announcer.soundBlocked && (
        <button type="button" className="button display__sound" onClick={announcer.unlockSound}>
          {t('display.enableSound')}
        </button>
      )}
      <ConnectionBadge state={connection} central={syncStatus} />
    </div>
  );
}

function CurrentCall({ call, counters }: { call: CallRecord; counters: CounterDto[] }) {
  const { t } = useTranslation();
  const counter = counterLabel(counters, call.counterId);
  return (
    // Keyed by the event where it is used: a new call (or a recall) remounts it, which replays
    // the flash animation.
    <div
      className="now"
      data-testid="current-call"
      data-number={call.number}
      data-counter={counter}
    >
      <div className="now__block" aria-hidden="true">
        <span className="now__caption">{t('display.ticket')}</span>
        <span className="now__number" data-testid="current-number">
          {call.number}
        </span>
      </div>
      <div className="now__block now__block--counter" aria-hidden="true">
        <span className="now__caption">{t('display.counter')}</span>
        <span className="now__counter" data-testid="current-counter">
          {counter}
        </span>
      </div>
    </div>
  );
}

function counterName(counters: CounterDto[], id: string | null): string {
  return counters.find((c) => c.id === id)?.name ?? id ?? '';
}

/** "3" for a counter named "Guichet 3" or "3": the caption already says "Counter". */
function counterLabel(counters: CounterDto[], id: string | null): string {
  return spokenCounter(counterName(counters, id));
}
