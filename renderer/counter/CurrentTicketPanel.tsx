import { useTranslation } from 'react-i18next';
import type { TicketDto } from '../../core/api/schemas';
import { formatTimer, secondsBetween, serviceName } from '../shared/format';
import type { LobbyState } from '../shared/lobby-state';
import { useNow } from '../shared/useNow';
import { ActionButton } from './ActionButton';
import { callReasonText } from './call-reason';
import { SHORTCUTS, type CounterAction } from './shortcuts';

export function CurrentTicketPanel({
  current,
  lobby,
  can,
  busy,
  onAction,
}: {
  current: TicketDto | null;
  lobby: LobbyState;
  can: Record<CounterAction, boolean>;
  busy: boolean;
  onAction: (action: CounterAction) => void;
}) {
  const { t, i18n } = useTranslation();
  const maxRecalls = lobby.branch?.maxRecalls ?? 3;
  const service = lobby.services.find((s) => s.id === current?.serviceId);
  const button = (action: CounterAction, label: string, variant?: 'primary' | 'danger') => (
    <ActionButton
      label={label}
      shortcut={SHORTCUTS[action]}
      onClick={() => onAction(action)}
      disabled={!can[action] || busy}
      variant={variant}
      testId={`action-${action}`}
    />
  );

  return (
    <section className="counter__current card" aria-labelledby="current-title">
      <h2 id="current-title">{t('counter.current')}</h2>
      {current ? (
        <div
          className="current"
          data-testid="current-ticket"
          data-number={current.number}
          data-status={current.status}
        >
          <p className="current__number" dir="ltr">
            {current.number}
          </p>
          <div className="current__facts">
            <p>
              <strong>{serviceName(service, i18n.language, lobby.branch?.defaultLang)}</strong>
              {current.priority && <span className="badge">{t('counter.priorityBadge')}</span>}
              {current.transfers > 0 && (
                <span className="badge">{t('counter.transferredBadge')}</span>
              )}
            </p>
            <p>
              {t(`counter.ticketStatus.${current.status === 'serving' ? 'serving' : 'called'}`)} ·{' '}
              {t('counter.timer')} <Timer since={current.startedAt ?? current.calledAt} />
            </p>
            <p data-testid="recalls">
              {t('counter.recalls', { n: current.recalls, max: maxRecalls })}
            </p>
          </div>
          {current.callReason && (
            <div className="current__why">
              <h3>{t('counter.why')}</h3>
              <p data-testid="call-reason" data-rule={current.callReason.rule}>
                {callReasonText(current.callReason, t)}
              </p>
            </div>
          )}
        </div>
      ) : (
        <p className="current__none">{t('counter.none')}</p>
      )}
      <div className="counter__actions">
        {button('callNext', t('counter.actions.callNext'), 'primary')}
        {button(
          'recall',
          `${t('counter.actions.recall')} (${current?.recalls ?? 0}/${maxRecalls})`,
        )}
        {button('start', t('counter.actions.start'))}
        {button('finish', t('counter.actions.finish'), 'primary')}
        {button('noShow', t('counter.actions.noShow'), 'danger')}
        {button('transfer', t('counter.actions.transfer'))}
        {button('reprint', t('counter.actions.reprint'))}
      </div>
    </section>
  );
}

function Timer({ since }: { since: string | null }) {
  const now = useNow(1000);
  if (!since) return null;
  return (
    <time className="timer" data-testid="timer" role="timer" aria-live="off">
      {formatTimer(secondsBetween(since, now))}
    </time>
  );
}
