// What a scan shows besides a new ticket: where a scanned ticket stands, or why a code was
// refused — in plain words, with the way back.
import { useTranslation } from 'react-i18next';
import type { TicketWithPositionDto } from '../../core/api/schemas';
import { formatEstimate, serviceName, spokenCounter } from '../shared/format';
import type { LobbyState } from '../shared/lobby-state';
import type { ScanProblem } from './scan-routing';

export function TicketStatusView({
  ticket,
  lobby,
  onDone,
}: {
  ticket: TicketWithPositionDto;
  lobby: LobbyState;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const service = lobby.services.find((s) => s.id === ticket.serviceId);
  const name = serviceName(service, i18n.language, lobby.branch?.defaultLang);
  const counterName = lobby.counters.find((c) => c.id === ticket.counterId)?.name ?? '';
  const counter = spokenCounter(counterName);
  let headline: string;
  let detail = '';
  switch (ticket.status) {
    case 'waiting':
      headline = ticket.ahead === 0 ? t('kiosk.next') : t('kiosk.ahead', { count: ticket.ahead });
      detail =
        ticket.estimatedWaitSec === null
          ? t('kiosk.noEstimate')
          : t('kiosk.estimate', { duration: formatEstimate(ticket.estimatedWaitSec, t) });
      break;
    case 'called':
      headline = t('kiosk.status.called', { counter });
      break;
    case 'serving':
      headline = t('kiosk.status.serving', { counter });
      break;
    default:
      headline = t(`kiosk.status.${ticket.status}`);
  }
  return (
    <section
      className="kiosk__center scan-status"
      aria-labelledby="status-title"
      data-status={ticket.status}
      data-ticket={ticket.number}
    >
      <h1 id="status-title" tabIndex={-1} data-autofocus>
        {t('kiosk.status.title')}
      </h1>
      <div className="ticket__paper" role="status">
        <p className="ticket__label">{t('kiosk.yourNumber')}</p>
        <p className="ticket__number" data-testid="status-number" dir="ltr">
          {ticket.number}
        </p>
        <p className="ticket__service">{t('kiosk.service', { service: name })}</p>
        <p className="scan-status__headline" data-testid="status-headline">
          {headline}
        </p>
        {detail && <p className="ticket__estimate">{detail}</p>}
      </div>
      <button type="button" className="button button--primary kiosk__big" onClick={onDone}>
        {t('kiosk.done')}
      </button>
    </section>
  );
}

const PROBLEM_TEXT: Record<ScanProblem, string> = {
  unreadable: 'kiosk.scan.unreadable',
  not_found: 'kiosk.appointmentNotFound',
  already_used: 'kiosk.scan.alreadyUsed',
  appointment_cancelled: 'kiosk.appointmentCancelled',
  appointment_not_today: 'kiosk.appointmentNotToday',
  ticket_not_found: 'kiosk.scan.ticketNotFound',
  service_closed: 'kiosk.scan.serviceClosed',
  branch_full: 'kiosk.fullMessage',
  no_check_in: 'kiosk.appointmentUnavailable',
  check_in_offline: 'kiosk.appointmentOffline',
  lookup_offline: 'kiosk.scan.ticketOffline',
};

export function ScanProblemView({ problem, onBack }: { problem: ScanProblem; onBack: () => void }) {
  const { t } = useTranslation();
  return (
    <section
      className="kiosk__center problem"
      aria-labelledby="scan-problem-title"
      data-problem={problem}
    >
      <h1 id="scan-problem-title" tabIndex={-1} data-autofocus>
        {t('kiosk.scan.title')}
      </h1>
      <p role="alert" className="problem__message" data-testid="scan-problem">
        {t(PROBLEM_TEXT[problem])}
      </p>
      <button type="button" className="button button--primary kiosk__big" onClick={onBack}>
        {t('common.back')}
      </button>
    </section>
  );
}
