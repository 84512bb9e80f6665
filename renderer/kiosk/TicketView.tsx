// "Take your ticket": the number very large, where it stands, and a QR code to follow the queue
// from a phone. Above it, what printing is doing: "printing…", then "take your ticket below"; if
// the kiosk has no working printer or the job failed, a calm word that this screen is the ticket
// (the number even larger, the QR code first).
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto, IssuedTicketDto, ServiceDto } from '../../core/api/schemas';
import { formatEstimate, serviceName } from '../shared/format';
import { useKioskHardware } from './hardware-context';
import {
  awaitingPaper,
  isOnScreenFallback,
  PRINT_DEADLINE_MS,
  printPhase,
  type PrintPhase,
} from './print-state';
import { QrCode } from './QrCode';

/** The follow-up URL when the hub's answer lacks one (older hub): /t/:id on this origin. */
export function followUpUrl(ticketId: string, origin: string = location.origin): string {
  return `${origin}/t/${encodeURIComponent(ticketId)}`;
}

const HEADLINE: Record<PrintPhase, string> = {
  printing: 'kiosk.print.printing',
  printed: 'kiosk.print.printed',
  failed: 'kiosk.print.onScreen',
  none: 'kiosk.print.onScreen',
  unavailable: 'kiosk.print.onScreen',
  slow: 'kiosk.print.onScreen',
};
const NOTE: Record<PrintPhase, string | null> = {
  printing: null,
  printed: null,
  failed: 'kiosk.print.failed',
  none: 'kiosk.print.none',
  unavailable: 'kiosk.print.unavailable',
  slow: 'kiosk.print.slow',
};

export function TicketView({
  ticket,
  services,
  branch,
  onDone,
}: {
  ticket: IssuedTicketDto;
  services: ServiceDto[];
  branch: BranchDto;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const hardware = useKioskHardware();
  const print = ticket.print ?? null;
  const [late, setLate] = useState(false);
  const phase = printPhase({
    print,
    job: print ? hardware.jobs.get(print.jobId) : undefined,
    printer: print ? hardware.printers.get(print.printerId) : undefined,
    late,
  });
  const waiting = awaitingPaper(phase);
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(() => setLate(true), PRINT_DEADLINE_MS);
    return () => clearTimeout(timer);
  }, [waiting]);
  // A printer we have not heard of (set up since the page loaded): learn its state.
  const unknownPrinter = print !== null && !hardware.printers.has(print.printerId);
  const { refreshPrinter } = hardware;
  useEffect(() => {
    if (unknownPrinter) refreshPrinter();
  }, [unknownPrinter, refreshPrinter]);

  const onScreen = isOnScreenFallback(phase);
  const service = services.find((s) => s.id === ticket.serviceId);
  const name = serviceName(service, i18n.language, branch.defaultLang);
  const estimate =
    ticket.estimatedWaitSec === null
      ? t('kiosk.noEstimate')
      : t('kiosk.estimate', {
          duration: formatEstimate(ticket.estimatedWaitSec, t),
        });
  const note = NOTE[phase];
  return (
    <section
      className={`ticket${onScreen ? ' ticket--on-screen' : ''}`}
      aria-labelledby="ticket-title"
      data-ticket={ticket.number}
      data-print={phase}
    >
      <h1 id="ticket-title" className="ticket__take" tabIndex={-1} data-autofocus>
        {t(HEADLINE[phase])}
        {phase === 'printed' && (
          <span className="ticket__arrow" aria-hidden="true">
            {' '}
            ↓
          </span>
        )}
      </h1>
      <p className="ticket__print-note" role="status" data-testid="print-state">
        {note ? t(note) : ''}
      </p>
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
          <QrCode value={ticket.followUpUrl ?? followUpUrl(ticket.id)} label={t('kiosk.qr')} />
          <figcaption>{t('kiosk.qr')}</figcaption>
        </figure>
      </div>
      <button type="button" className="button button--primary kiosk__big" onClick={onDone}>
        {t('kiosk.done')}
      </button>
    </section>
  );
}
