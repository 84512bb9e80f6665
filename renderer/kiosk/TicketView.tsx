// "Take your ticket": the number very large, where it stands, and a QR code to follow the queue
// from a phone. Printing arrives with the hardware issue; this screen is the ticket until then.
import { useTranslation } from 'react-i18next';
import type { BranchDto, ServiceDto, TicketWithPositionDto } from '../../core/api/schemas';
import { formatEstimate, serviceName } from '../shared/format';
import { QrCode } from './QrCode';

/** Same shape as the hub's printed follow-up URL (/t/:id on the address the kiosk uses). */
export function followUpUrl(ticketId: string, origin: string = location.origin): string {
  return `${origin}/t/${encodeURIComponent(ticketId)}`;
}

export function TicketView({
  ticket,
  services,
  branch,
  onDone,
}: {
  ticket: TicketWithPositionDto;
  services: ServiceDto[];
  branch: BranchDto;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const service = services.find((s) => s.id === ticket.serviceId);
  const name = serviceName(service, i18n.language, branch.defaultLang);
  const estimate =
    ticket.estimatedWaitSec === null
      ? t('kiosk.noEstimate')
      : t('kiosk.estimate', {
          duration: formatEstimate(ticket.estimatedWaitSec, t),
        });
  return (
    <section className="ticket" aria-labelledby="ticket-title" data-ticket={ticket.number}>
      <h1 id="ticket-title" className="ticket__take" tabIndex={-1} data-autofocus>
        {t('kiosk.takeTicket')}
      </h1>
      <p className="visually-hidden" role="status">
        {t('kiosk.issued', { number: ticket.number, service: name })}
      </p>
      <div className="ticket__paper">
        <p className="ticket__label">{t('kiosk.yourNumber')}</p>
        <p className="ticket__number" data-testid="ticket-number" dir="ltr">
          {ticket.number}
        </p>
        {ticket.priority && <p className="ticket__badge">{t('kiosk.priorityBadge')}</p>}
        <p className="ticket__service">{t('kiosk.service', { service: name })}</p>
        <p className="ticket__ahead">
          {ticket.ahead === 0 ? t('kiosk.next') : t('kiosk.ahead', { count: ticket.ahead })}
        </p>
        <p className="ticket__estimate">{estimate}</p>
        <figure className="ticket__qr">
          <QrCode value={followUpUrl(ticket.id)} label={t('kiosk.qr')} />
          <figcaption>{t('kiosk.qr')}</figcaption>
        </figure>
      </div>
      <button type="button" className="button button--primary kiosk__big" onClick={onDone}>
        {t('kiosk.done')}
      </button>
    </section>
  );
}
