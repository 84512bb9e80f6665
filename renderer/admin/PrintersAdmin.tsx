// Printers: each one's state and waiting jobs, which kiosks print on it, a test page; each kiosk's
// own printer (URL, paper width, type); and the serial scanner's state.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  PAPER_WIDTHS,
  PRINTER_TYPES,
  type DeviceDto,
  type PrinterDto,
  type ScannerDto,
  type TicketDto,
} from '../../core/api/schemas';
import { isApiError, newActionKey } from '../api';
import { errorText } from '../shared/error-text';
import { hub } from '../shared/hub';
import type { JobSnapshot } from '../shared/print-jobs';
import { printerUrlProblem } from './printer-url';
import { FormFeedback, useSubmit } from './useSubmit';

export function PrintersAdmin({
  tick,
  jobs,
}: {
  /** Bumped on printer.status / print.job: refetch. */
  tick: number;
  jobs: ReadonlyMap<string, JobSnapshot>;
}) {
  const { t } = useTranslation();
  const [printers, setPrinters] = useState<PrinterDto[] | null>(null);
  const [devices, setDevices] = useState<DeviceDto[]>([]);
  const [scanner, setScanner] = useState<ScannerDto | null>(null);
  const [error, setError] = useState('');
  const [test, setTest] = useState<{ jobId: string; printerId: string } | null>(null);

  const reload = useCallback(async () => {
    try {
      const [p, d] = await Promise.all([hub.printers(), hub.devices()]);
      setPrinters(p);
      setDevices(d);
      setError('');
    } catch (e) {
      setError(errorText(e, t));
    }
    // The scanner route may be missing on an older hub: the printers still show.
    hub.scanner().then(setScanner, () => setScanner(null));
  }, [t]);
  useEffect(() => {
    const timer = setTimeout(() => void reload(), tick === 0 ? 0 : 300);
    return () => clearTimeout(timer);
  }, [reload, tick]);

  const kiosks = devices.filter((d) => d.role === 'kiosk' && !d.revokedAt);
  const deviceName = (id: string) => devices.find((d) => d.id === id)?.name ?? id;

  const testPrint = async (printer: PrinterDto) => {
    setError('');
    try {
      const job = await hub.testPrint(
        printer.isDefault ? undefined : printer.deviceIds[0],
        newActionKey(),
      );
      setTest({ jobId: job.jobId, printerId: job.printerId });
    } catch (e) {
      setError(isApiError(e, 'no_printer') ? t('admin.printers.noPrinter') : errorText(e, t));
    }
  };
  const testState = test ? (jobs.get(test.jobId)?.state ?? 'queued') : null;

  return (
    <div className="admin__section">
      <h2>{t('admin.tabs.printers')}</h2>
      <p className="error" role="alert">
        {error}
      </p>
      <p className="admin__status" role="status" data-testid="test-print-status">
        {test && testState ? t(`admin.printers.test.${testState}`) : ''}
      </p>
      {printers && printers.length === 0 && <p>{t('admin.printers.none')}</p>}
      {printers && printers.length > 0 && (
        <table className="admin__table" data-testid="printers">
          <thead>
            <tr>
              <th scope="col">{t('admin.printers.printer')}</th>
              <th scope="col">{t('admin.printers.state')}</th>
              <th scope="col">{t('admin.printers.pending')}</th>
              <th scope="col">{t('admin.printers.kiosks')}</th>
              <td />
            </tr>
          </thead>
          <tbody>
            {printers.map((p) => (
              <tr key={p.printerId} data-printer={p.printerId} data-state={p.state}>
                <th scope="row">
                  <code dir="ltr">{p.url}</code>
                  <span className="hint">
                    {' '}
                    · {p.paperWidthMm} mm · {p.printerType}
                  </span>
                </th>
                <td>
                  <span className={`state state--${stateTone(p.state)}`}>
                    {t(`admin.printers.states.${p.state}`)}
                  </span>
                  {p.paperNearEnd && (
                    <span className="badge">{t('admin.printers.paperNearEnd')}</span>
                  )}
                  {p.lastError && <span className="hint"> · {p.lastError}</span>}
                </td>
                <td>
                  {p.pending}
                  {p.pendingJobs.length > 0 && (
                    <ul className="admin__jobs">
                      {p.pendingJobs.map((j) => (
                        <li key={j.id}>
                          <span dir="ltr">{j.label ?? j.id}</span> ·{' '}
                          {t(`admin.printers.jobStates.${j.state}`)}
                          {j.attempts > 0 &&
                            ` · ${t('admin.printers.attempts', { count: j.attempts })}`}
                          {j.reason && ` · ${j.reason}`}
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td>
                  {[
                    ...p.deviceIds.map(deviceName),
                    ...(p.isDefault ? [t('admin.printers.default')] : []),
                  ].join(', ')}
                </td>
                <td>
                  <button
                    type="button"
                    className="button"
                    onClick={() => void testPrint(p)}
                    aria-label={`${t('admin.printers.testPrint')} ${p.url}`}
                  >
                    {t('admin.printers.testPrint')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <ReprintTicketForm tick={tick} jobs={jobs} />

      <h2>{t('admin.printers.kioskTitle')}</h2>
      <p className="hint">{t('admin.printers.kioskHint')}</p>
      {kiosks.map((k) => {
        const own = printers?.find((p) => p.deviceIds.includes(k.id)) ?? null;
        return (
          <KioskPrinterForm
            // A saved change elsewhere refills the form with what the hub holds.
            key={`${k.id}:${own?.printerId ?? 'none'}:${own?.paperWidthMm ?? ''}:${own?.printerType ?? ''}`}
            device={k}
            current={own}
            onSaved={() => void reload()}
          />
        );
      })}

      <h2>{t('admin.scanner.title')}</h2>
      <ScannerState scanner={scanner} deviceName={deviceName} />
    </div>
  );
}

/** Reprint for a visitor who lost their ticket: any ticket still waiting, called or served. */
function ReprintTicketForm({
  tick,
  jobs,
}: {
  tick: number;
  jobs: ReadonlyMap<string, JobSnapshot>;
}) {
  const { t } = useTranslation();
  const [tickets, setTickets] = useState<TicketDto[]>([]);
  const [chosen, setChosen] = useState('');
  const [jobId, setJobId] = useState<string | null>(null);
  const [error, setError] = useState('');

  useEffect(() => {
    hub.queue().then(
      (q) => setTickets([...q.serving, ...q.called, ...q.waiting]),
      (e: unknown) => setError(errorText(e, t)),
    );
  }, [tick, t]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    setError('');
    try {
      setJobId((await hub.reprint(chosen, newActionKey())).jobId);
    } catch (e) {
      setError(isApiError(e, 'no_printer') ? t('admin.printers.noPrinter') : errorText(e, t));
    }
  };
  const state = jobId ? (jobs.get(jobId)?.state ?? 'queued') : null;

  return (
    <form className="admin__form" onSubmit={(e) => void submit(e)} data-testid="reprint-form">
      <h2>{t('admin.printers.reprint.title')}</h2>
      <p className="hint">{t('admin.printers.reprint.hint')}</p>
      {tickets.length === 0 ? (
        <p>{t('admin.printers.reprint.none')}</p>
      ) : (
        <label>
          {t('admin.printers.reprint.ticket')}
          <select value={chosen} onChange={(e) => setChosen(e.target.value)}>
            <option value="" />
            {tickets.map((ticket) => (
              <option key={ticket.id} value={ticket.id}>
                {ticket.number}
              </option>
            ))}
          </select>
        </label>
      )}
      <button type="submit" className="button" disabled={!chosen}>
        {t('admin.printers.reprint.button')}
      </button>
      <p className="error" role="alert">
        {error}
      </p>
      <p className="admin__status" role="status">
        {state ? t(`admin.printers.reprint.${state}`) : ''}
      </p>
    </form>
  );
}

function stateTone(state: PrinterDto['state']): 'ok' | 'warn' | 'bad' {
  if (state === 'ready') return 'ok';
  if (state === 'unknown') return 'warn';
  return 'bad';
}

function KioskPrinterForm({
  device,
  current,
  onSaved,
}: {
  device: DeviceDto;
  current: PrinterDto | null;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [url, setUrl] = useState(current?.url ?? '');
  const [width, setWidth] = useState<58 | 80>(current?.paperWidthMm ?? 80);
  const [type, setType] = useState<'epson' | 'star'>(current?.printerType ?? 'epson');
  const [invalid, setInvalid] = useState('');
  const { submit, status, error, busy } = useSubmit();
  const id = `kp-${device.id}`;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const problem = printerUrlProblem(url);
    if (problem) return setInvalid(t(`admin.printers.urlProblems.${problem}`));
    setInvalid('');
    if (
      await submit((key) =>
        hub.setDevicePrinter(
          device.id,
          { url: url.trim(), paperWidthMm: width, printerType: type },
          key,
        ),
      )
    )
      onSaved();
  };
  const clear = async () => {
    setInvalid('');
    if (await submit((key) => hub.setDevicePrinter(device.id, null, key))) {
      setUrl('');
      onSaved();
    }
  };

  return (
    <form
      className="admin__row card"
      onSubmit={(e) => void save(e)}
      noValidate
      data-kiosk={device.id}
      aria-label={t('admin.printers.kioskForm', { name: device.name })}
    >
      <p className="admin__row-title">
        <strong>{device.name}</strong>
      </p>
      <div className="field field--wide">
        <label htmlFor={`${id}-url`}>{t('admin.printers.url')}</label>
        <input
          id={`${id}-url`}
          dir="ltr"
          value={url}
          placeholder="tcp://192.168.1.50:9100"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setUrl(e.target.value)}
          aria-invalid={invalid ? true : undefined}
          aria-describedby={`${id}-invalid`}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-width`}>{t('admin.printers.paperWidth')}</label>
        <select
          id={`${id}-width`}
          value={width}
          onChange={(e) => setWidth(Number(e.target.value) === 58 ? 58 : 80)}
        >
          {PAPER_WIDTHS.map((w) => (
            <option key={w} value={w}>
              {w} mm
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-type`}>{t('admin.printers.type')}</label>
        <select
          id={`${id}-type`}
          value={type}
          onChange={(e) => setType(e.target.value === 'star' ? 'star' : 'epson')}
        >
          {PRINTER_TYPES.map((p) => (
            <option key={p} value={p}>
              {p === 'star' ? 'Star' : 'Epson (ESC/POS)'}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('common.save')}
      </button>
      {current && (
        <button type="button" className="button" disabled={busy} onClick={() => void clear()}>
          {t('admin.printers.clear')}
        </button>
      )}
      <p id={`${id}-invalid`} className="error" role="alert">
        {invalid}
      </p>
      <FormFeedback status={status} error={error} />
    </form>
  );
}

function ScannerState({
  scanner,
  deviceName,
}: {
  scanner: ScannerDto | null;
  deviceName: (id: string) => string;
}) {
  const { t } = useTranslation();
  if (!scanner) return <p className="hint">{t('admin.scanner.unknown')}</p>;
  return (
    <dl className="admin__facts card" data-testid="scanner" data-state={scanner.state}>
      <dt>{t('admin.scanner.path')}</dt>
      <dd dir="ltr">{scanner.path ?? t('admin.scanner.none')}</dd>
      <dt>{t('admin.scanner.source')}</dt>
      <dd>{t(`admin.scanner.sources.${scanner.source}`)}</dd>
      <dt>{t('admin.scanner.state')}</dt>
      <dd>
        {t(`admin.scanner.states.${scanner.state}`)}
        {scanner.error && <span className="hint"> · {scanner.error}</span>}
      </dd>
      <dt>{t('admin.scanner.kiosk')}</dt>
      <dd>{scanner.kioskDeviceId ? deviceName(scanner.kioskDeviceId) : '—'}</dd>
    </dl>
  );
}
