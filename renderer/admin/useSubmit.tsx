import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { newActionKey } from '../api';
import { errorText } from '../shared/error-text';

/** One admin form submission: a fresh Idempotency-Key per press, a status line, an error line. */
export function useSubmit() {
  const { t } = useTranslation();
  const [status, setStatus] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (work: (key: string) => Promise<unknown>): Promise<boolean> => {
    setBusy(true);
    setError('');
    setStatus('');
    try {
      await work(newActionKey());
      setStatus(t('common.saved'));
      return true;
    } catch (e) {
      setError(errorText(e, t));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { submit, status, error, busy };
}

export function FormFeedback({ status, error }: { status: string; error: string }) {
  return (
    <>
      <p className="admin__status" role="status">
        {status}
      </p>
      <p className="error" role="alert">
        {error}
      </p>
    </>
  );
}
