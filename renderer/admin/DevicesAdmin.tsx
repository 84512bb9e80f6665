// Devices and their tokens: create one (its token and pairing code are shown this once), revoke.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type CreatedDeviceDto, type DeviceDto, type Role } from '../../core/api/schemas';
import { newActionKey } from '../api';
import { hub } from '../shared/hub';
import { errorText } from '../shared/error-text';
import type { LobbyState } from '../shared/lobby-state';
import { FormFeedback, useSubmit } from './useSubmit';

export function DevicesAdmin({ lobby }: { lobby: LobbyState }) {
  const { t, i18n } = useTranslation();
  const [devices, setDevices] = useState<DeviceDto[]>([]);
  const [created, setCreated] = useState<CreatedDeviceDto | null>(null);
  const [error, setError] = useState('');
  const reload = useCallback(
    () => hub.devices().then(setDevices, (e: unknown) => setError(errorText(e, t))),
    [t],
  );
  useEffect(() => {
    void reload();
  }, [reload]);

  const revoke = async (device: DeviceDto) => {
    if (!window.confirm(t('admin.devices.revokeConfirm', { name: device.name }))) return;
    try {
      await hub.revokeDevice(device.id, newActionKey());
      await reload();
    } catch (e) {
      setError(errorText(e, t));
    }
  };
  const date = new Intl.DateTimeFormat(`${i18n.language}-u-nu-latn`, {
    dateStyle: 'short',
    timeStyle: 'short',
  });
  const counterName = (id: string | null) =>
    id ? (lobby.counters.find((c) => c.id === id)?.name ?? id) : t('admin.devices.noCounter');

  return (
    <div className="admin__section">
      <h2>{t('admin.tabs.devices')}</h2>
      <p className="error" role="alert">
        {error}
      </p>
      {created && (
        <div className="admin__once card" role="alert" data-testid="device-created">
          <h3>{t('admin.devices.onceTitle')}</h3>
          <p>{t('admin.devices.onceHint')}</p>
          <dl>
            <dt>{t('admin.devices.pairingCode')}</dt>
            <dd>
              <code data-testid="pairing-code">{created.pairingCode}</code>
            </dd>
            <dt>{t('admin.devices.token')}</dt>
            <dd>
              <code data-testid="device-token">{created.token}</code>
            </dd>
          </dl>
        </div>
      )}
      <table className="admin__table">
        <thead>
          <tr>
            <th scope="col">{t('admin.devices.name')}</th>
            <th scope="col">{t('admin.devices.role')}</th>
            <th scope="col">{t('admin.devices.counter')}</th>
            <th scope="col">{t('admin.devices.created')}</th>
            <th scope="col">{t('admin.devices.state')}</th>
            <td />
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-device={d.id}>
              <th scope="row">{d.name}</th>
              <td>{t(`roles.${d.role}`)}</td>
              <td>{counterName(d.counterId)}</td>
              <td>{date.format(new Date(d.createdAt))}</td>
              <td>{d.revokedAt ? t('admin.devices.revoked') : t('admin.devices.active')}</td>
              <td>
                {!d.revokedAt && (
                  <button
                    type="button"
                    className="button button--danger"
                    onClick={() => void revoke(d)}
                    aria-label={`${t('admin.devices.revoke')} ${d.name}`}
                  >
                    {t('admin.devices.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t('admin.devices.createTitle')}</h2>
      <CreateDevice
        counters={lobby.counters}
        onCreated={(c) => {
          setCreated(c);
          void reload();
        }}
      />
    </div>
  );
}

function CreateDevice({
  counters,
  onCreated,
}: {
  counters: LobbyState['counters'];
  onCreated: (c: CreatedDeviceDto) => void;
}) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('display');
  const [counterId, setCounterId] = useState('');
  const { submit, status, error, busy } = useSubmit();
  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    await submit(async (key) => {
      const body = {
        role,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(role === 'counter' ? { counterId: counterId || counters[0]?.id } : {}),
      };
      onCreated(await hub.createDevice(body, key));
      setName('');
    });
  };
  return (
    <form className="admin__row card" onSubmit={(e) => void onSubmit(e)}>
      <div className="field">
        <label htmlFor="dev-name">{t('admin.devices.name')}</label>
        <input id="dev-name" value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div className="field">
        <label htmlFor="dev-role">{t('admin.devices.role')}</label>
        <select id="dev-role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </div>
      {role === 'counter' && (
        <div className="field">
          <label htmlFor="dev-counter">{t('admin.devices.counter')}</label>
          <select id="dev-counter" value={counterId} onChange={(e) => setCounterId(e.target.value)}>
            {counters.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="button button--primary" disabled={busy}>
        {t('admin.devices.create')}
      </button>
      <FormFeedback status={status} error={error} />
    </form>
  );
}
