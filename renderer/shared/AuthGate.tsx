// Every screen sits behind this gate: pair once (code, or ?token= for the demo), then ride on
// the HttpOnly cookie the hub sets. The token is never stored by us, and leaves the URL at once.
import { useCallback, useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { MeDto, Role } from '../../core/api/schemas';
import { backoffDelay } from '../api/backoff';
import { isApiError, newActionKey, type PairCredentials } from '../api';
import { authLost, hub } from './hub';
import { errorText } from './error-text';
import { credentialsFromInput } from './pairing';
import { forgetUrlToken, pendingUrlToken } from './url-token';

// The demo's ?token= (taken out of the URL at boot, see url-token.ts) is paired once even if
// React runs the effect twice, and retried with the same Idempotency-Key if the hub was down.
let urlPairing: Promise<MeDto> | null = null;
const urlPairingKey = newActionKey();
function pairingFromUrl(): Promise<MeDto> | null {
  const token = pendingUrlToken();
  if (!token) return null;
  urlPairing ??= hub.pair({ token }, urlPairingKey);
  return urlPairing;
}

type Gate =
  { kind: 'checking' } | { kind: 'pairing'; error: string | null } | { kind: 'ready'; me: MeDto };

export function AuthGate({
  roles,
  children,
}: {
  roles: readonly Role[];
  children: (me: MeDto) => ReactNode;
}) {
  const { t } = useTranslation();
  const [gate, setGate] = useState<Gate>({ kind: 'checking' });
  // The check must not rerun when the language (and so `t`) changes: that would reset the kiosk.
  const tRef = useRef(t);
  tRef.current = t;

  const pair = useCallback(
    async (credentials: PairCredentials) => {
      try {
        const me = await hub.pair(credentials, newActionKey());
        setGate({ kind: 'ready', me });
      } catch (e) {
        setGate({
          kind: 'pairing',
          error: isApiError(e) && e.status === 401 ? t('pairing.invalid') : errorText(e, t),
        });
      }
    },
    [t],
  );

  // A 401 on any later call (device revoked, hub reset) sends a ready screen back to pairing.
  // 401s during the check itself are the check's own business, so they are ignored here.
  useEffect(
    () =>
      authLost.subscribe(() =>
        setGate((g) => (g.kind === 'ready' ? { kind: 'pairing', error: null } : g)),
      ),
    [],
  );

  useEffect(() => {
    let cancelled = false;
    let attempt = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const fromUrl = pairingFromUrl();
        const me = await (fromUrl ?? hub.me());
        forgetUrlToken();
        urlPairing = null;
        if (!cancelled) setGate({ kind: 'ready', me });
      } catch (e) {
        if (cancelled) return;
        urlPairing = null;
        if (isApiError(e) && e.status === 401) {
          const wasUrlToken = Boolean(pendingUrlToken());
          forgetUrlToken();
          setGate({ kind: 'pairing', error: wasUrlToken ? tRef.current('pairing.invalid') : null });
        } else {
          // Hub not up yet (a TV that boots faster than the hub): keep trying, quietly.
          timer = setTimeout(() => void check(), backoffDelay(attempt++));
        }
      }
    };
    setGate({ kind: 'checking' });
    void check();
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, []);

  if (gate.kind === 'checking') {
    return (
      <main className="gate" aria-busy="true">
        <p role="status">{t('pairing.checking')}</p>
      </main>
    );
  }
  if (gate.kind === 'pairing') return <PairingForm error={gate.error} onPair={pair} />;
  const { me } = gate;
  if (me.role !== 'admin' && !roles.includes(me.role)) {
    return (
      <WrongRole
        message={t('pairing.wrongRole', {
          role: t(`roles.${me.role}`),
          expected: roles.map((r) => t(`roles.${r}`)).join(', '),
        })}
        onUnpaired={() => setGate({ kind: 'pairing', error: null })}
      />
    );
  }
  return <>{children(me)}</>;
}

function PairingForm({
  error,
  onPair,
}: {
  error: string | null;
  onPair: (c: PairCredentials) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const credentials = credentialsFromInput(value);
    if (!credentials) return;
    setBusy(true);
    await onPair(credentials);
    setBusy(false);
  };
  return (
    <main className="gate">
      <form className="card pairing" onSubmit={(e) => void submit(e)}>
        <h1>{t('pairing.title')}</h1>
        <p>{t('pairing.intro')}</p>
        <label htmlFor="pairing-input">{t('pairing.label')}</label>
        <input
          id="pairing-input"
          name="pairing"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          aria-describedby="pairing-hint pairing-error"
          aria-invalid={error ? true : undefined}
          value={value}
          onChange={(e) => setValue(e.target.value)}
          required
        />
        <p id="pairing-hint" className="hint">
          {t('pairing.hint')}
        </p>
        <p id="pairing-error" className="error" role="alert">
          {error ?? ''}
        </p>
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('pairing.submit')}
        </button>
      </form>
    </main>
  );
}

function WrongRole({ message, onUnpaired }: { message: string; onUnpaired: () => void }) {
  const { t } = useTranslation();
  const unpair = async () => {
    await hub.unpair(newActionKey()).catch(() => undefined);
    onUnpaired();
  };
  return (
    <main className="gate">
      <div className="card">
        <p role="alert">{message}</p>
        <button type="button" className="button" onClick={() => void unpair()}>
          {t('pairing.unpair')}
        </button>
      </div>
    </main>
  );
}
