// Where each screen window points. Lobby screens are the hub's own pages (see app-protocol.ts
// for why not app://), the shell's pages are on app://guichet/shell/.
import type { ScreenRole } from '../../preload/api';
import { APP_ORIGIN } from '../protocol/app-protocol';

export function screenUrl(hubUrl: string, role: ScreenRole, counterId: string | null): string {
  const url = new URL(`/${role}`, hubUrl);
  if (role === 'counter' && counterId) url.searchParams.set('counter', counterId);
  return url.href;
}

export const SETUP_PAGE = `${APP_ORIGIN}/shell/setup.html`;
export const PIN_PAGE = `${APP_ORIGIN}/shell/pin.html`;
