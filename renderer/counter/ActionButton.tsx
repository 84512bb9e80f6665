import type { ReactNode } from 'react';

/** A counter action button that shows its keyboard shortcut and announces it to assistive tech. */
export function ActionButton({
  label,
  shortcut,
  onClick,
  disabled,
  variant,
  testId,
  extra,
}: {
  label: string;
  shortcut: string;
  onClick: () => void;
  disabled?: boolean;
  variant?: 'primary' | 'danger';
  testId?: string;
  extra?: ReactNode;
}) {
  return (
    <button
      type="button"
      className={`button counter__action${variant ? ` button--${variant}` : ''}`}
      aria-keyshortcuts={shortcut}
      disabled={disabled}
      onClick={onClick}
      data-testid={testId}
    >
      <span>{label}</span>
      {extra}
      <kbd aria-hidden="true">{shortcut}</kbd>
    </button>
  );
}
