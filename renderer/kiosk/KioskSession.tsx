// One visitor's time at the kiosk: language, accessibility switch, priority, and the screen they
// are on. Everything here is dropped when the session ends (done, or inactivity).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssuedTicketDto, ServiceDto, TicketWithPositionDto } from '../../core/api/schemas';
import { isApiError, newActionKey } from '../api';
import { resolveUiLang, setUiLanguage } from '../i18n';
import { hub } from '../shared/hub';
import type { LobbyState } from '../shared/lobby-state';
import { AppointmentView } from './AppointmentView';
import { HomeView } from './HomeView';
import {
  alreadyCheckedInTicket,
  isBranchFull,
  problemFromError,
  type KioskProblem,
} from './issue-problems';
import type { SerialScan } from './KioskScreen';
import { ProblemView } from './ProblemView';
import {
  outcomeOfScannerResult,
  routeScan,
  scanErrorProblem,
  type ScanProblem,
} from './scan-routing';
import { ScanProblemView, TicketStatusView } from './ScanViews';
import { TicketView } from './TicketView';
import { useWedgeScanner } from './useWedgeScanner';

export type KioskView =
  | { kind: 'home' }
  | { kind: 'issuing' }
  | { kind: 'checking' }
  | { kind: 'ticket'; ticket: IssuedTicketDto }
  | { kind: 'status'; ticket: TicketWithPositionDto }
  | { kind: 'scan_problem'; problem: ScanProblem }
  | { kind: 'problem'; problem: KioskProblem; service?: ServiceDto }
  | { kind: 'appointment' };

export function KioskSession({
  lobby,
  scan,
  onFinished,
}: {
  lobby: LobbyState & { branch: NonNullable<LobbyState['branch']> };
  /** The latest result of the hub's serial scanner for this kiosk. */
  scan: SerialScan | null;
  onFinished: () => void;
}) {
  const { t } = useTranslation();
  const branch = lobby.branch;
  const [view, setView] = useState<KioskView>({ kind: 'home' });
  const [contrast, setContrast] = useState(false);
  const [priority, setPriority] = useState(false);
  // The visitor's language: the UI speaks it (or our nearest), the ticket and its announcement too.
  const [lang, setLang] = useState(branch.defaultLang);
  useEffect(() => {
    setUiLanguage(resolveUiLang(lang));
  }, [lang]);

  // Move focus to each new view's heading, so screen-reader users hear where they are.
  const main = useRef<HTMLElement>(null);
  useEffect(() => {
    main.current?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
  }, [view.kind]);

  const occupancy = lobby.waiting.length + lobby.called.length + lobby.serving.length;
  const full = isBranchFull(branch.capacity, occupancy);

  const issue = async (service: ServiceDto) => {
    if (!service.open)
      return setView({ kind: 'problem', problem: { kind: 'service_closed' }, service });
    if (full) return setView({ kind: 'problem', problem: { kind: 'branch_full' } });
    setView({ kind: 'issuing' });
    try {
      const ticket = await hub.issueTicket(
        {
          serviceId: service.id,
          lang,
          ...(priority && branch.priorityEnabled ? { priority: true } : {}),
        },
        newActionKey(),
      );
      setView({ kind: 'ticket', ticket });
    } catch (e) {
      setView({ kind: 'problem', problem: problemFromError(e), service });
    }
  };

  // A scan on this screen (keyboard-wedge scanner): check in, or show where a ticket stands.
  const scanned = async (text: string) => {
    const route = routeScan(text);
    if (route.kind === 'invalid') return setView({ kind: 'scan_problem', problem: 'unreadable' });
    setView({ kind: 'checking' });
    try {
      if (route.kind === 'appointment') {
        setView({ kind: 'ticket', ticket: await hub.checkIn(route.code, newActionKey()) });
      } else if (route.kind === 'ticket') {
        setView({ kind: 'status', ticket: await hub.ticketByCode(route.code) });
      } else {
        setView({ kind: 'status', ticket: await hub.ticket(route.ticketId) });
      }
    } catch (e) {
      // Scanning an appointment code twice shows where its ticket stands.
      const earlier = alreadyCheckedInTicket(e);
      if (earlier) return setView({ kind: 'status', ticket: earlier });
      if (!isApiError(e) || e.status === 0) {
        return setView({ kind: 'problem', problem: problemFromError(e) });
      }
      setView({ kind: 'scan_problem', problem: scanErrorProblem(route.kind, e.status, e.code) });
    }
  };
  useWedgeScanner(
    view.kind === 'home' || view.kind === 'appointment',
    (text) => void scanned(text),
  );

  // The hub's serial scanner read something for this kiosk.
  const handledScan = useRef(scan?.id ?? 0);
  useEffect(() => {
    if (!scan || scan.id === handledScan.current) return;
    handledScan.current = scan.id;
    const outcome = outcomeOfScannerResult(scan.event);
    if (outcome.kind === 'checked_in') {
      setView({ kind: 'ticket', ticket: { ...outcome.ticket, print: outcome.print } });
    } else if (outcome.kind === 'ticket_status') {
      setView({ kind: 'status', ticket: outcome.ticket });
    } else {
      setView({ kind: 'scan_problem', problem: outcome.problem });
    }
  }, [scan]);

  const home = () => setView({ kind: 'home' });

  return (
    <main ref={main} className={`kiosk${contrast ? ' kiosk--contrast' : ''}`} data-view={view.kind}>
      {view.kind === 'home' && (
        <HomeView
          lobby={lobby}
          lang={lang}
          onLang={setLang}
          full={full}
          priority={priority}
          onPriority={setPriority}
          contrast={contrast}
          onContrast={setContrast}
          onService={(s) => void issue(s)}
          onAppointment={() => setView({ kind: 'appointment' })}
        />
      )}
      {(view.kind === 'issuing' || view.kind === 'checking') && (
        <section className="kiosk__center" aria-busy="true">
          <h1 tabIndex={-1} data-autofocus role="status">
            {view.kind === 'issuing' ? t('kiosk.issuing') : t('kiosk.checking')}
          </h1>
        </section>
      )}
      {view.kind === 'ticket' && (
        <TicketView
          ticket={view.ticket}
          services={lobby.services}
          branch={branch}
          onDone={onFinished}
        />
      )}
      {view.kind === 'status' && (
        <TicketStatusView ticket={view.ticket} lobby={lobby} onDone={onFinished} />
      )}
      {view.kind === 'scan_problem' && <ScanProblemView problem={view.problem} onBack={home} />}
      {view.kind === 'problem' && (
        <ProblemView problem={view.problem} service={view.service} branch={branch} onBack={home} />
      )}
      {view.kind === 'appointment' && (
        <AppointmentView onTicket={(ticket) => setView({ kind: 'ticket', ticket })} onBack={home} />
      )}
    </main>
  );
}
