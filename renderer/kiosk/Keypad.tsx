import { useTranslation } from 'react-i18next';

// Appointment codes ("GA1-4GY4JFWDQX-…") are Latin capitals, digits and dashes, whatever the
// visitor's language.
const KEYS = [...'1234567890', ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '-'];

/**
 * An on-screen keypad: a touch kiosk has no keyboard. Typing on a real keyboard (or a scanner,
 * later) still goes to the input field directly.
 */
export function Keypad({ onKey, onDelete }: { onKey: (c: string) => void; onDelete: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="keypad" role="group" aria-label={t('kiosk.keypad')} dir="ltr">
      {KEYS.map((k) => (
        <button key={k} type="button" className="keypad__key" onClick={() => onKey(k)}>
          {k}
        </button>
      ))}
      <button
        type="button"
        className="keypad__key keypad__key--wide"
        onClick={onDelete}
        aria-label={t('kiosk.keypadDelete')}
      >
        ⌫
      </button>
    </div>
  );
}
