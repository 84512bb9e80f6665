// Appointments: create one (service, date and time, language) and get its signed code with its
// QR code, ready to print or show; list a day's appointments with their status.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppointmentDto, CreatedAppointmentDto } from '../../core/api/schemas';
import { languageName } from '../i18n';
import { errorText } from '../shared/error-text';
import { serviceName } from '../shared/format';
import { hub } from '../shared/hub';
import type { LobbyState } from '../shared/lobby-state';
import { FormFeedback, useSubmit } from './useSubmit';

const pad = (n: number) => String(n).padStart(2, '0');
/** A Date as the value of <input type="date">: local YYYY-MM-DD. */
export const localDate = (d: Date) =>
  `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
/** A Date as the value of <input type="datetime-local">, to the minute. */
const localDateTime = (d: Date) => `${localDate(d)}T${pad(d.getHours())}:${pad(d.getMinutes())}`;

/** Half an hour from now, on a quarter hour: a sensible default slot. */
function nextSlot(now = new Date()): string {
  const d = new Date(now.getTime() + 30 * 60_000);
  d.setMinutes(Math.ceil(d.getMinutes() / 15) * 15, 0, 0);
  return localDateTime(d);
}

export function AppointmentsAdmin({ lobby, tick }: { lobby: LobbyState; tick: number }) {
  const { t, i18n } = useTranslation();
  const [day, setDay] = useState(() => localDate(new Date()));
  const [list, setList] = useState<AppointmentDto[] | null>(null);
  const [listError, setListError] = useState('');
  const [created, setCreated] = useState<CreatedAppointmentDto | null>(null);

  const reload = useCallback(
    () =>
      hub.appointments(day).then(
        (all) => {
          setList([...all].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)));
          setListError('');
        },
        (e: unknown) => setListError(errorText(e, t)),
      ),
    [day, t],
  );
  useEffect(() => {
    const timer = setTimeout(() => void reload(), tick === 0 ? 0 : 300);
    return () => clearTimeout(timer);
  }, [reload, tick]);

  const branch = lobby.branch;
  const lang = i18n.language;
  const time = new Intl.DateTimeFormat(`${lang}-u-nu-latn`, {
    timeStyle: 'short',
    ...(branch?.timeZone ? { timeZone: branch.timeZone } : {}),
  });
  const dateTime = new Intl.DateTimeFormat(`${lang}-u-nu-latn`, {
    dateStyle: 'full',
    timeStyle: 'short',
    ...(branch?.timeZone ? { timeZone: branch.timeZone } : {}),
  });
  const service = (id: string) =>
    serviceName(
      lobby.services.find((s) => s.id === id),
      lang,
      branch?.defaultLang,
    ) || id;

  return (
    <div className="admin__section">
      <h2>{t('admin.appointments.createTitle')}</h2>
      <CreateAppointment
        lobby={lobby}
        onCreated={(c) => {
          setCreated(c);
          void reload();
        }}
      />
      {created && (
        <article
          className="appointment-slip card print-area"
          data-testid="appointment-created"
          aria-labelledby="slip-title"
        >
          <h3 id="slip-title">{t('admin.appointments.slipTitle')}</h3>
          <p className="appointment-slip__branch">{branch?.name}</p>
          <p>
            <strong>{service(created.appointment.serviceId)}</strong>
          </p>
          <p>{dateTime.format(new Date(created.appointment.at))}</p>
          <img
            className="appointment-slip__qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(created.qrSvg)}`}
            alt={t('admin.appointments.qrAlt', { code: created.code })}
          />
          <p className="appointment-slip__code" dir="ltr" data-testid="appointment-code">
            {created.code}
          </p>
          <p className="hint">{t('admin.appointments.slipHint')}</p>
          <button type="button" className="button no-print" onClick={() => window.print()}>
            {t('admin.appointments.print')}
          </button>
        </article>
      )}

      <h2>{t('admin.appointments.listTitle')}</h2>
      <div className="field">
        <label htmlFor="apt-day">{t('admin.appointments.day')}</label>
        <input id="apt-day" type="date" value={day} onChange={(e) => setDay(e.target.value)} />
      </div>
      <p className="error" role="alert">
        {listError}
      </p>
      {list && list.length === 0 && <p>{t('admin.appointments.none')}</p>}
      {list && list.length > 0 && (
        <table className="admin__table" data-testid="appointments">
          <thead>
            <tr>
              <th scope="col">{t('admin.appointments.time')}</th>
              <th scope="col">{t('admin.appointments.service')}</th>
              <th scope="col">{t('admin.appointments.lang')}</th>
              <th scope="col">{t('admin.appointments.status')}</th>
              <th scope="col">{t('admin.appointments.code')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((a) => (
              <tr key={a.id} data-appointment={a.id} data-status={a.status}>
                <th scope="row">{time.format(new Date(a.at))}</th>
                <td>{service(a.serviceId)}</td>
                <td>{a.lang ? languageName(a.lang) : '—'}</td>
                <td>{t(`admin.appointments.statuses.${a.status}`)}</td>
                <td>
                  <code dir="ltr">{a.code}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function CreateAppointment({
  lobby,
  onCreated,
}: {
  lobby: LobbyState;
  onCreated: (c: CreatedAppointmentDto) => void;
}) {
  const { t, i18n } = useTranslation();
  const languages = lobby.branch?.languages ?? [];
  const [serviceId, setServiceId] = useState('');
  const [at, setAt] = useState(nextSlot);
  const [lang, setLang] = useState('');
  const [invalid, setInvalid] = useState('');
  const { submit, status, error, busy } = useSubmit();
  const chosenService = serviceId || lobby.services[0]?.id || '';

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const when = new Date(at);
    if (!at || Number.isNaN(when.getTime())) return setInvalid(t('admin.appointments.badTime'));
    if (!chosenService) return setInvalid(t('admin.appointments.noService'));
    setInvalid('');
    await submit(async (key) => {
      onCreated(
        await hub.createAppointment(
          {
            serviceId: chosenService,
            // The admin's clock is the branch's: the wall time typed, with this zone's offset.
            at: when.toISOString(),
            ...(lang ? { lang } : {}),
          },
          key,
        ),
      );
    });
  };

  return (
    <form className="admin__row card no-print" onSubmit={(e) => void onSubmit(e)} noValidate>
      <div className="field">
        <label htmlFor="apt-service">{t('admin.appointments.service')}</label>
        <select
          id="apt-service"
          value={chosenService}
          onChange={(e) => setServiceId(e.target.value)}
        >
          {lobby.services.map((s) => (
            <option key={s.id} value={s.id}>
              {serviceName(s, i18n.language, lobby.branch?.defaultLang)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="apt-at">{t('admin.appointments.at')}</label>
        <input
          id="apt-at"
          type="datetime-local"
          value={at}
          onChange={(e) => setAt(e.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby="apt-invalid"
        />
      </div>
      <div className="field">
        <label htmlFor="apt-lang">{t('admin.appointments.lang')}</label>
        <select id="apt-lang" value={lang} onChange={(e) => setLang(e.target.value)}>
          <option value="">{t('admin.appointments.anyLang')}</option>
          {languages.map((l) => (
            <option key={l} value={l} lang={l}>
              {languageName(l)}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('admin.appointments.create')}
      </button>
      <p id="apt-invalid" className="error" role="alert">
        {invalid}
      </p>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
