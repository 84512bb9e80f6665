// What a key press in a lobby window may do. Kiosk users (and passers-by with a USB keyboard)
// must not reload, zoom, print, open devtools, close or quit. Staff reach the PIN prompt with a
// chord nobody presses by accident: Ctrl+Alt+Shift+G ("G" for Guichet).

/** The fields of Electron's `Input` we look at (before-input-event). */
export interface KeyInput {
  type: string;
  key: string;
  code?: string;
  control: boolean;
  meta: boolean;
  alt: boolean;
  shift: boolean;
}

export type KeyVerdict = 'allow' | 'block' | 'staff-prompt';

const BLOCKED_ALONE = new Set([
  'F5',
  'F11',
  'F12',
  'BrowserBack',
  'BrowserForward',
  'BrowserRefresh',
]);
// With Ctrl (or Cmd): reload, close, quit, new window, print, save, open, find, view source,
// zoom, history, downloads, devtools and "select all" is fine but harmless, so not listed.
const BLOCKED_WITH_MOD = new Set([
  'r',
  'w',
  'q',
  'n',
  't',
  'p',
  's',
  'o',
  'f',
  'g',
  'u',
  'h',
  'j',
  'i',
  'l',
  'd',
  'e',
  'k',
  '+',
  '=',
  '-',
  '_',
  '0',
  'tab',
]);

export function classifyKey(input: KeyInput): KeyVerdict {
  if (input.type !== 'keyDown' && input.type !== 'rawKeyDown') return 'allow';
  const key = input.key.toLowerCase();
  const mod = input.control || input.meta;
  if (mod && input.alt && input.shift && (key === 'g' || input.code === 'KeyG'))
    return 'staff-prompt';
  if (BLOCKED_ALONE.has(input.key)) return 'block';
  if (input.alt && (key === 'f4' || key === 'arrowleft' || key === 'arrowright' || key === 'home'))
    return 'block';
  // Alt alone would show a hidden menu bar on Linux and Windows.
  if (input.key === 'Alt' || input.key === 'Meta') return 'block';
  if (mod && BLOCKED_WITH_MOD.has(key)) return 'block';
  return 'allow';
}
