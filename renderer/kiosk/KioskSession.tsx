// One visitor's time at the kiosk: language, accessibility switch, priority, and the screen they
// are on. Everything here is dropped when the session ends (done, or inactivity).
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDto, TicketWithPositionDto } from '../../core/api/schemas';
import { newActionKey } from '../api';
import { resolveUiLang, setUiLanguage } from '../i18n';
import { hub } from '../shared/hub';
import type { LobbyState } from '../shared/lobby-state';
import { AppointmentView } from './AppointmentView';
import { HomeView } from './HomeView';
import { isBranchFull, problemFromError, type KioskProblem } from './issue-problems';
import { ProblemView } from './ProblemView';
import { TicketView } from './TicketView';

export type KioskView =
  | { kind: 'home' }
  | { kind: 'issuing' }
  | { kind: 'ticket'; ticket: TicketWithPositionDto }
  | { kind: 'problem'; problem: KioskProblem; service?: ServiceDto }
  | { kind: 'appointment' };

export function KioskSession({
  lobby,
  onFinished,
}: {
  lobby: LobbyState & { branch: NonNullable<LobbyState['branch']> };
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
      {view.kind === 'issuing' && (
        <section className="kiosk__center" aria-busy="true">
          <h1 tabIndex={-1} data-autofocus role="status">
            {t('kiosk.issuing')}
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
      {view.kind === 'problem' && (
        <ProblemView problem={view.problem} service={view.service} branch={branch} onBack={home} />
      )}
      {view.kind === 'appointment' && (
        <AppointmentView onTicket={(ticket) => setView({ kind: 'ticket', ticket })} onBack={home} />
      )}
    </main>
  );
}
