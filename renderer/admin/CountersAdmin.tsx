// Counters and their work profiles: a weight per service (0 = does not serve it).
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CounterDto, ServiceDto } from '../../core/api/schemas';
import { hub } from '../shared/hub';
import { serviceName } from '../shared/format';
import type { LobbyState } from '../shared/lobby-state';
import { FormFeedback, useSubmit } from './useSubmit';

export function CountersAdmin({ lobby }: { lobby: LobbyState }) {
  const { t } = useTranslation();
  return (
    <div className="admin__section">
      <h2>{t('admin.tabs.counters')}</h2>
      <p className="hint">{t('admin.counters.weightHint')}</p>
      {lobby.counters.map((c) => (
        <CounterForm
          key={`${c.id}:${c.name}:${JSON.stringify(c.profile)}`}
          counter={c}
          services={lobby.services}
          defaultLang={lobby.branch?.defaultLang}
        />
      ))}
      <h2>{t('admin.counters.addTitle')}</h2>
      <CounterForm
        counter={null}
        services={lobby.services}
        defaultLang={lobby.branch?.defaultLang}
      />
    </div>
  );
}

function CounterForm({
  counter,
  services,
  defaultLang,
}: {
  counter: CounterDto | null;
  services: ServiceDto[];
  defaultLang: string | undefined;
}) {
  const { t, i18n } = useTranslation();
  const [name, setName] = useState(counter?.name ?? '');
  const [weights, setWeights] = useState<Record<string, number>>(
    Object.fromEntries((counter?.profile ?? []).map((p) => [p.serviceId, p.weight])),
  );
  const { submit, status, error, busy } = useSubmit();
  const id = counter?.id ?? 'new';

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const profile = Object.entries(weights)
      .filter(([, w]) => w > 0)
      .map(([serviceId, weight]) => ({ serviceId, weight: Math.min(100, Math.round(weight)) }));
    const ok = await submit((key) =>
      counter
        ? hub.patchCounter(counter.id, { name, profile }, key)
        : hub.createCounter({ name, profile }, key),
    );
    if (ok && !counter) {
      setName('');
      setWeights({});
    }
  };

  return (
    <form className="admin__row card" onSubmit={(e) => void onSubmit(e)} data-counter={counter?.id}>
      <div className="field">
        <label htmlFor={`ctr-${id}-name`}>{t('admin.counters.name')}</label>
        <input
          id={`ctr-${id}-name`}
          value={name}
          required
          onChange={(e) => setName(e.target.value)}
        />
      </div>
      <fieldset className="admin__profile">
        <legend>{t('admin.counters.profile')}</legend>
        {services.map((s) => {
          const label = serviceName(s, i18n.language, defaultLang);
          return (
            <div className="field field--narrow" key={s.id}>
              <label htmlFor={`ctr-${id}-w-${s.id}`}>
                <span aria-hidden="true">{s.prefix}</span>
                <span className="visually-hidden">
                  {t('admin.counters.weight', { service: label })}
                </span>
              </label>
              <input
                id={`ctr-${id}-w-${s.id}`}
                type="number"
                min={0}
                max={100}
                title={label}
                value={weights[s.id] ?? 0}
                onChange={(e) => setWeights({ ...weights, [s.id]: Number(e.target.value) })}
              />
            </div>
          );
        })}
      </fieldset>
      <button type="submit" className="button button--primary" disabled={busy}>
        {counter ? t('common.save') : t('admin.counters.add')}
      </button>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
