import { useTranslation } from 'react-i18next';
import type { BranchDto, ServiceDto } from '../../core/api/schemas';
import { serviceName } from '../shared/format';
import type { KioskProblem } from './issue-problems';

/** Why no ticket was issued, in plain words, and the way back. */
export function ProblemView({
  problem,
  service,
  branch,
  onBack,
}: {
  problem: KioskProblem;
  service: ServiceDto | undefined;
  branch: BranchDto;
  onBack: () => void;
}) {
  const { t, i18n } = useTranslation();
  const name = serviceName(service, i18n.language, branch.defaultLang);
  const [title, message] = describeProblem(problem, name, t);
  return (
    <section
      className="kiosk__center problem"
      aria-labelledby="problem-title"
      data-problem={problem.kind}
    >
      <h1 id="problem-title" tabIndex={-1} data-autofocus>
        {title}
      </h1>
      <p role="alert" className="problem__message">
        {message}
      </p>
      <button type="button" className="button button--primary kiosk__big" onClick={onBack}>
        {t('common.back')}
      </button>
    </section>
  );
}

export function describeProblem(
  problem: KioskProblem,
  service: string,
  t: (key: string, values?: Record<string, unknown>) => string,
): [string, string] {
  switch (problem.kind) {
    case 'service_closed':
      return [t('kiosk.closedTitle'), t('kiosk.closedMessage', { service })];
    case 'branch_full':
      return [t('kiosk.fullTitle'), t('kiosk.fullMessage')];
    case 'network':
      return [t('kiosk.errorTitle'), t('common.networkError')];
    case 'kiosk_offline':
      return [t('kiosk.errorTitle'), t('kiosk.kioskOffline')];
    case 'appointment_not_found':
      return [t('kiosk.appointmentTitle'), t('kiosk.appointmentNotFound')];
    case 'appointment_unavailable':
      return [t('kiosk.appointmentTitle'), t('kiosk.appointmentUnavailable')];
    case 'appointment_cancelled':
      return [t('kiosk.appointmentTitle'), t('kiosk.appointmentCancelled')];
    case 'appointment_not_today':
      return [t('kiosk.appointmentTitle'), t('kiosk.appointmentNotToday')];
    case 'appointment_offline':
      return [t('kiosk.appointmentTitle'), t('kiosk.appointmentOffline')];
    case 'other':
      return [t('kiosk.errorTitle'), t('common.error', { message: problem.message })];
  }
}
