import { useTranslation } from 'react-i18next';
import type { CounterDto, TicketDto } from '../../core/api/schemas';
import { formatDuration, secondsBetween, serviceName } from '../shared/format';
import { longestWaitByService, waitingByService, type LobbyState } from '../shared/lobby-state';
import { useNow } from '../shared/useNow';

/** The counter's services with their queues, and the waiting tickets it may call by hand. */
export function QueuePanel({
  counter,
  lobby,
  canCall,
  onCall,
}: {
  counter: CounterDto;
  lobby: LobbyState;
  canCall: boolean;
  onCall: (ticket: TicketDto) => void;
}) {
  const { t, i18n } = useTranslation();
  const now = useNow(5000);
  const mine = new Set(counter.profile.map((p) => p.serviceId));
  const services = lobby.services.filter((s) => mine.has(s.id));
  const waiting = waitingByService(lobby);
  const longest = longestWaitByService(lobby, now);
  const tickets = lobby.waiting.filter((tk) => mine.has(tk.serviceId));
  const name = (id: string) =>
    serviceName(
      lobby.services.find((s) => s.id === id),
      i18n.language,
      lobby.branch?.defaultLang,
    );

  return (
    <section className="counter__queue card" aria-labelledby="queue-title">
      <h2 id="queue-title">{t('counter.services')}</h2>
      <table className="counter__table">
        <thead>
          <tr>
            <th scope="col">{t('counter.service')}</th>
            <th scope="col">{t('counter.waiting')}</th>
            <th scope="col">{t('counter.longestWait')}</th>
          </tr>
        </thead>
        <tbody>
          {services.map((s) => (
            <tr key={s.id} data-service={s.id}>
              <th scope="row">
                <span className="prefix" aria-hidden="true">
                  {s.prefix}
                </span>{' '}
                {name(s.id)}
              </th>
              <td data-testid={`waiting-${s.id}`}>{waiting.get(s.id) ?? 0}</td>
              <td>{longest.has(s.id) ? formatDuration(longest.get(s.id) ?? 0, t) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2 id="waiting-title">{t('counter.waitingList')}</h2>
      {tickets.length === 0 ? (
        <p>{t('counter.nobodyWaiting')}</p>
      ) : (
        // Focusable because it scrolls: with every "Call" button disabled (a ticket at the
        // counter), keyboard users could not reach the end of a long queue otherwise.
        <ol className="counter__waiting" aria-labelledby="waiting-title" tabIndex={0}>
          {tickets.map((tk) => (
            <li key={tk.id} data-number={tk.number}>
              <span className="counter__waiting-number" dir="ltr">
                {tk.number}
              </span>
              <span className="counter__waiting-info">
                {name(tk.serviceId)} ·{' '}
                {t('counter.waitedFor', {
                  duration: formatDuration(secondsBetween(tk.queuedAt, now), t),
                })}
                {tk.priority && <span className="badge">{t('counter.priorityBadge')}</span>}
                {tk.transfers > 0 && <span className="badge">{t('counter.transferredBadge')}</span>}
              </span>
              <button
                type="button"
                className="button"
                disabled={!canCall}
                onClick={() => onCall(tk)}
              >
                {t('counter.actions.call', { number: tk.number })}
              </button>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
