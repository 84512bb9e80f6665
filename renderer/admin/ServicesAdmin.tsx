// Services: prefix, a name per branch language, open/closed, order. Changes come back through
// the stream (config.changed), so the table always shows what the hub holds.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceDto } from '../../core/api/schemas';
import { hub } from '../shared/hub';
import type { LobbyState } from '../shared/lobby-state';
import { FormFeedback, useSubmit } from './useSubmit';

export function ServicesAdmin({ lobby }: { lobby: LobbyState }) {
  const { t } = useTranslation();
  const langs = lobby.branch?.languages ?? ['fr'];
  return (
    <div className="admin__section">
      <h2>{t('admin.tabs.services')}</h2>
      {lobby.services.map((s) => (
        <ServiceForm
          key={`${s.id}:${JSON.stringify(s.name)}:${s.open}:${s.prefix}`}
          service={s}
          langs={langs}
        />
      ))}
      <h2>{t('admin.services.addTitle')}</h2>
      <ServiceForm service={null} langs={langs} />
    </div>
  );
}

function ServiceForm({ service, langs }: { service: ServiceDto | null; langs: string[] }) {
  const { t } = useTranslation();
  const [prefix, setPrefix] = useState(service?.prefix ?? '');
  const [names, setNames] = useState<Record<string, string>>(service?.name ?? {});
  const [open, setOpen] = useState(service?.open ?? true);
  const [position, setPosition] = useState(service?.position ?? 0);
  const { submit, status, error, busy } = useSubmit();
  const id = service?.id ?? 'new';

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const name = Object.fromEntries(Object.entries(names).filter(([, v]) => v.trim()));
    const ok = await submit((key) =>
      service
        ? hub.patchService(service.id, { prefix, name, open, position }, key)
        : hub.createService({ prefix, name, open }, key),
    );
    if (ok && !service) {
      setPrefix('');
      setNames({});
    }
  };

  return (
    <form className="admin__row card" onSubmit={(e) => void onSubmit(e)} data-service={service?.id}>
      <div className="field field--narrow">
        <label htmlFor={`svc-${id}-prefix`}>{t('admin.services.prefix')}</label>
        <input
          id={`svc-${id}-prefix`}
          value={prefix}
          maxLength={1}
          required
          pattern="[A-Z]"
          onChange={(e) => setPrefix(e.target.value.toUpperCase())}
        />
      </div>
      {langs.map((lang) => (
        <div className="field" key={lang}>
          <label htmlFor={`svc-${id}-name-${lang}`}>{t('admin.services.name', { lang })}</label>
          <input
            id={`svc-${id}-name-${lang}`}
            lang={lang}
            dir="auto"
            value={names[lang] ?? ''}
            required={lang === langs[0]}
            onChange={(e) => setNames({ ...names, [lang]: e.target.value })}
          />
        </div>
      ))}
      {service && (
        <div className="field field--narrow">
          <label htmlFor={`svc-${id}-position`}>{t('admin.services.position')}</label>
          <input
            id={`svc-${id}-position`}
            type="number"
            min={0}
            value={position}
            onChange={(e) => setPosition(Number(e.target.value))}
          />
        </div>
      )}
      <div className="field field--check">
        <input
          id={`svc-${id}-open`}
          type="checkbox"
          checked={open}
          onChange={(e) => setOpen(e.target.checked)}
        />
        <label htmlFor={`svc-${id}-open`}>{t('admin.services.open')}</label>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {service ? t('common.save') : t('admin.services.add')}
      </button>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
