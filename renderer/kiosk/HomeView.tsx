// The kiosk's first screen: languages (each named in itself), the services as big buttons with
// their queue, and the options (priority, appointment, high contrast).
import { useTranslation } from 'react-i18next';
import type { ServiceDto } from '../../core/api/schemas';
import { languageName } from '../i18n';
import { formatEstimate, serviceName } from '../shared/format';
import { waitingByService, type LobbyState } from '../shared/lobby-state';
import { useKioskHardware } from './hardware-context';
import { printerNotice } from './print-state';

interface Props {
  lobby: LobbyState & { branch: NonNullable<LobbyState['branch']> };
  lang: string;
  onLang: (lang: string) => void;
  full: boolean;
  priority: boolean;
  onPriority: (on: boolean) => void;
  contrast: boolean;
  onContrast: (on: boolean) => void;
  onService: (service: ServiceDto) => void;
  onAppointment: () => void;
}

export function HomeView(props: Props) {
  const { t } = useTranslation();
  const { lobby, lang } = props;
  const { branch } = lobby;
  // The live queue is fresher than the counts inside ServiceDto (refetched with a debounce).
  const waiting = waitingByService(lobby);
  // The kiosk's printer in trouble: say so discreetly; issuing goes on (tickets show on screen).
  const { myPrinterId, printers } = useKioskHardware();
  const notice = printerNotice(myPrinterId ? printers.get(myPrinterId) : null);
  return (
    <>
      <header className="kiosk__top">
        <p className="kiosk__branch">
          {t('kiosk.welcome')} · {branch.name}
        </p>
        <nav className="kiosk__langs" aria-label={t('kiosk.chooseLanguage')}>
          {branch.languages.map((code) => (
            <button
              key={code}
              type="button"
              lang={code}
              className="button kiosk__lang"
              aria-pressed={code === lang}
              onClick={() => props.onLang(code)}
            >
              {languageName(code)}
            </button>
          ))}
        </nav>
      </header>

      <h1 className="kiosk__title" tabIndex={-1} data-autofocus>
        {t('kiosk.chooseService')}
      </h1>
      <p className="kiosk__notice" role="status" data-testid="printer-notice">
        {notice === 'down' && t('kiosk.print.notice')}
        {notice === 'paper_low' && t('kiosk.print.noticePaperLow')}
      </p>
      {props.full && (
        <p className="kiosk__banner" role="alert">
          {t('kiosk.fullBanner')}
        </p>
      )}

      <ul className="kiosk__services">
        {lobby.services.map((s) => (
          <li key={s.id}>
            <ServiceButton
              service={s}
              name={serviceName(s, lang, branch.defaultLang)}
              waiting={waiting.get(s.id) ?? 0}
              onPress={() => props.onService(s)}
            />
          </li>
        ))}
      </ul>

      <div className="kiosk__options">
        {branch.priorityEnabled && (
          <button
            type="button"
            className="button kiosk__option"
            aria-pressed={props.priority}
            onClick={() => props.onPriority(!props.priority)}
          >
            <span className="kiosk__check" aria-hidden="true">
              {props.priority ? '✓' : ''}
            </span>
            <span>
              <span className="kiosk__option-title">{t('kiosk.priorityLabel')}</span>
              <span className="kiosk__option-text">{t('kiosk.priorityDescription')}</span>
            </span>
          </button>
        )}
        <button type="button" className="button kiosk__option" onClick={props.onAppointment}>
          <span className="kiosk__option-title">{t('kiosk.appointment')}</span>
        </button>
        <button
          type="button"
          className="button kiosk__option"
          aria-pressed={props.contrast}
          onClick={() => props.onContrast(!props.contrast)}
        >
          <span className="kiosk__check" aria-hidden="true">
            {props.contrast ? '✓' : ''}
          </span>
          <span className="kiosk__option-title">{t('kiosk.contrast')}</span>
        </button>
      </div>
    </>
  );
}

function ServiceButton({
  service,
  name,
  waiting,
  onPress,
}: {
  service: ServiceDto;
  name: string;
  waiting: number;
  onPress: () => void;
}) {
  const { t } = useTranslation();
  const estimate =
    service.estimatedWaitSec === null
      ? t('kiosk.noEstimate')
      : t('kiosk.estimate', {
          duration: formatEstimate(service.estimatedWaitSec, t),
        });
  return (
    <button
      type="button"
      className="kiosk__service"
      data-service={service.id}
      // A closed service stays focusable and explains itself when pressed, rather than
      // silently doing nothing.
      aria-disabled={service.open ? undefined : true}
      onClick={onPress}
    >
      <span className="kiosk__prefix" aria-hidden="true">
        {service.prefix}
      </span>
      <span className="kiosk__service-name">{name}</span>
      {service.open ? (
        <span className="kiosk__service-meta">
          <span>{t('kiosk.waiting', { count: waiting })}</span>
          <span>{estimate}</span>
        </span>
      ) : (
        <span className="kiosk__service-meta kiosk__service-meta--closed">{t('kiosk.closed')}</span>
      )}
    </button>
  );
}
