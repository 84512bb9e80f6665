// Appointment check-in by typing the code (a scanner arrives with the hardware issue and will
// type into the same field). Errors stay on this screen so the visitor can correct the code.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketWithPositionDto } from '../../core/api/schemas';
import { newActionKey } from '../api';
import { hub } from '../shared/hub';
import { alreadyCheckedInTicket, checkInProblem } from './issue-problems';
import { describeProblem } from './ProblemView';
import { Keypad } from './Keypad';

export function AppointmentView({
  onTicket,
  onBack,
}: {
  onTicket: (ticket: TicketWithPositionDto) => void;
  onBack: () => void;
}) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = code.trim();
    if (!trimmed) return setError(t('kiosk.appointmentEmpty'));
    setBusy(true);
    setError('');
    try {
      onTicket(await hub.checkIn(trimmed, newActionKey()));
    } catch (err) {
      const earlier = alreadyCheckedInTicket(err);
      if (earlier) return onTicket(earlier);
      setError(describeProblem(checkInProblem(err), '', t)[1]);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="kiosk__center appointment" aria-labelledby="appointment-title">
      <h1 id="appointment-title" tabIndex={-1} data-autofocus>
        {t('kiosk.appointmentTitle')}
      </h1>
      <form className="appointment__form" onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="appointment-code">{t('kiosk.appointmentLabel')}</label>
        <input
          id="appointment-code"
          className="appointment__input"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          dir="ltr"
          value={code}
          maxLength={32}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          aria-describedby="appointment-hint appointment-error"
          aria-invalid={error ? true : undefined}
        />
        <p id="appointment-hint" className="hint">
          {t('kiosk.appointmentHint')}
        </p>
        <Keypad
          onKey={(c) => setCode((v) => (v + c).slice(0, 32))}
          onDelete={() => setCode((v) => v.slice(0, -1))}
        />
        <p id="appointment-error" className="error" role="alert">
          {error}
        </p>
        <div className="appointment__actions">
          <button type="button" className="button kiosk__big" onClick={onBack}>
            {t('common.back')}
          </button>
          <button type="submit" className="button button--primary kiosk__big" disabled={busy}>
            {t('kiosk.appointmentSubmit')}
          </button>
        </div>
      </form>
    </section>
  );
}
