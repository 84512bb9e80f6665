// Transfer to another service with an optional note, in a native modal <dialog> (focus trapped,
// Escape closes) so the shortcut keys cannot fire behind it.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDto, TicketDto } from '../../core/api/schemas';
import { serviceName } from '../shared/format';

export function TransferDialog({
  ticket,
  services,
  defaultLang,
  onConfirm,
  onClose,
}: {
  ticket: TicketDto | null;
  services: ServiceDto[];
  defaultLang: string;
  onConfirm: (serviceId: string, note: string) => void;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const dialog = useRef<HTMLDialogElement>(null);
  const targets = services.filter((s) => s.id !== ticket?.serviceId);
  const [serviceId, setServiceId] = useState('');
  const [note, setNote] = useState('');

  useEffect(() => {
    const el = dialog.current;
    if (!el) return;
    if (ticket && !el.open) {
      setServiceId('');
      setNote('');
      el.showModal();
    }
    if (!ticket && el.open) el.close();
  }, [ticket]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const target = serviceId || targets[0]?.id;
    if (!target) return;
    onConfirm(target, note);
  };

  return (
    <dialog
      ref={dialog}
      className="counter__dialog"
      aria-labelledby="transfer-title"
      onClose={onClose}
      onCancel={onClose}
    >
      {ticket && (
        <form onSubmit={submit} className="counter__dialog-form">
          <h2 id="transfer-title">{t('counter.transferTitle', { number: ticket.number })}</h2>
          <label htmlFor="transfer-service">{t('counter.transferService')}</label>
          <select
            id="transfer-service"
            value={serviceId || targets[0]?.id || ''}
            onChange={(e) => setServiceId(e.target.value)}
          >
            {targets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.prefix} — {serviceName(s, i18n.language, defaultLang)}
              </option>
            ))}
          </select>
          <label htmlFor="transfer-note">{t('counter.transferNote')}</label>
          <textarea
            id="transfer-note"
            rows={3}
            maxLength={500}
            value={note}
            onChange={(e) => setNote(e.target.value)}
          />
          <div className="counter__dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
            <button type="submit" className="button button--primary">
              {t('counter.transferConfirm')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
