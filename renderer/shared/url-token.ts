// The demo's ?token=: taken out of the address bar before anything renders, so it never lingers
// in history, bookmarks or a screenshot; kept in memory only until pairing has used it.
import { takeTokenFromUrl } from './pairing';

let token: string | null = null;

export function captureUrlToken(): void {
  const taken = takeTokenFromUrl(location.href);
  if (!taken.token) return;
  history.replaceState(history.state, '', taken.cleanUrl);
  token = taken.token;
}

export function pendingUrlToken(): string | null {
  return token;
}

export function forgetUrlToken(): void {
  token = null;
}
