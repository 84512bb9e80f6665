// One key per counter action, shown on its button. Matched on the typed letter first (AZERTY,
// QWERTY…) and on the physical key second, so they still work with an Arabic keyboard layout.

export const COUNTER_ACTIONS = [
  'callNext',
  'recall',
  'start',
  'finish',
  'noShow',
  'transfer',
  'reprint',
  'pause',
] as const;
export type CounterAction = (typeof COUNTER_ACTIONS)[number];

export const SHORTCUTS: Record<CounterAction, string> = {
  callNext: 'N',
  recall: 'R',
  start: 'S',
  finish: 'F',
  noShow: 'X',
  transfer: 'T',
  // "Imprimer" / "prInt": R is recall.
  reprint: 'I',
  pause: 'P',
};

export interface KeyLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Tag name of the focused element the key was typed into. */
  targetTag?: string;
  targetEditable?: boolean;
}

export function actionForKey(e: KeyLike): CounterAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const tag = e.targetTag?.toUpperCase();
  // Typing a transfer note must never finish a ticket.
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || e.targetEditable) return null;
  const typed = e.key.length === 1 ? e.key.toUpperCase() : '';
  const physical = /^Key([A-Z])$/.exec(e.code)?.[1] ?? '';
  const entries = Object.entries(SHORTCUTS) as [CounterAction, string][];
  return (
    entries.find(([, k]) => k === typed)?.[0] ??
    // Only fall back to the physical key when the typed character is not a Latin letter.
    (/^[A-Z]$/.test(typed) ? null : (entries.find(([, k]) => k === physical)?.[0] ?? null))
  );
}
