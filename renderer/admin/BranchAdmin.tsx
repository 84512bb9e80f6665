// Branch settings: name, languages, capacity, kiosk timeout, call policy, spoken templates.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BranchDto } from '../../core/api/schemas';
import { hub } from '../shared/hub';
import { FormFeedback, useSubmit } from './useSubmit';

export function BranchAdmin({ branch }: { branch: BranchDto }) {
  const { t } = useTranslation();
  const [name, setName] = useState(branch.name);
  const [languages, setLanguages] = useState(branch.languages.join(', '));
  const [defaultLang, setDefaultLang] = useState(branch.defaultLang);
  const [capacity, setCapacity] = useState(branch.capacity === null ? '' : String(branch.capacity));
  const [priorityEnabled, setPriorityEnabled] = useState(branch.priorityEnabled);
  const [inactivity, setInactivity] = useState(branch.inactivityTimeoutSec);
  const [templates, setTemplates] = useState(branch.announcementTemplates);
  const [priorityCap, setPriorityCap] = useState(branch.priorityCap);
  const [aging, setAging] = useState(branch.agingThresholdSec);
  const [maxRecalls, setMaxRecalls] = useState(branch.maxRecalls);
  const { submit, status, error, busy } = useSubmit();
  const langs = languages
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit((key) =>
      hub.patchBranch(
        {
          name,
          languages: langs,
          defaultLang,
          capacity: capacity.trim() === '' ? null : Number(capacity),
          priorityEnabled,
          inactivityTimeoutSec: inactivity,
          announcementTemplates: Object.fromEntries(
            Object.entries(templates).filter(([l, v]) => langs.includes(l) && v.trim()),
          ),
          priorityCap,
          agingThresholdSec: aging,
          maxRecalls,
        },
        key,
      ),
    );
  };

  const num = (id: string, label: string, value: number, set: (n: number) => void, min = 0) => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="number"
        min={min}
        value={value}
        onChange={(e) => set(Number(e.target.value))}
      />
    </div>
  );

  return (
    <form className="admin__section admin__branch" onSubmit={onSubmit}>
      <h2>{t('admin.tabs.branch')}</h2>
      <div className="field">
        <label htmlFor="br-name">{t('admin.branch.name')}</label>
        <input id="br-name" value={name} required onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="br-langs">{t('admin.branch.languages')}</label>
        <input
          id="br-langs"
          dir="ltr"
          value={languages}
          onChange={(e) => setLanguages(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="br-default">{t('admin.branch.defaultLang')}</label>
        <select
          id="br-default"
          value={defaultLang}
          onChange={(e) => setDefaultLang(e.target.value)}
        >
          {langs.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="br-capacity">{t('admin.branch.capacity')}</label>
        <input
          id="br-capacity"
          type="number"
          min={1}
          value={capacity}
          onChange={(e) => setCapacity(e.target.value)}
        />
      </div>
      <div className="field field--check">
        <input
          id="br-priority"
          type="checkbox"
          checked={priorityEnabled}
          onChange={(e) => setPriorityEnabled(e.target.checked)}
        />
        <label htmlFor="br-priority">{t('admin.branch.priorityEnabled')}</label>
      </div>
      {num('br-inactivity', t('admin.branch.inactivity'), inactivity, setInactivity, 5)}
      {num('br-cap', t('admin.branch.priorityCap'), priorityCap, setPriorityCap, 1)}
      {num('br-aging', t('admin.branch.aging'), aging, setAging, 60)}
      {num('br-recalls', t('admin.branch.maxRecalls'), maxRecalls, setMaxRecalls, 0)}
      {langs.map((lang) => (
        <div className="field field--wide" key={lang}>
          <label htmlFor={`br-tpl-${lang}`}>{t('admin.branch.templates', { lang })}</label>
          <input
            id={`br-tpl-${lang}`}
            lang={lang}
            dir="auto"
            value={templates[lang] ?? ''}
            onChange={(e) => setTemplates({ ...templates, [lang]: e.target.value })}
          />
        </div>
      ))}
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('common.save')}
      </button>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
