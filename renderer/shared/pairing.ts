// Pure rules of pairing, unit-tested: what the typed text is, and cleaning the URL.
import type { PairCredentials } from '../api';

/** The admin's 8-character pairing code (spaces and dashes allowed when typing), else a token. */
export function credentialsFromInput(input: string): PairCredentials | null {
  const trimmed = input.trim();
  if (!trimmed) return null;
  const compact = trimmed.replace(/[\s-]/g, '');
  if (/^[A-Za-z0-9]{8}$/.test(compact)) return { code: compact.toUpperCase() };
  return { token: trimmed };
}

/** Takes ?token= out of a URL (kept nowhere: not in history, bookmarks or screenshots). */
export function takeTokenFromUrl(href: string): { token: string | null; cleanUrl: string } {
  const url = new URL(href);
  const token = url.searchParams.get('token');
  url.searchParams.delete('token');
  return { token, cleanUrl: url.pathname + url.search + url.hash };
}
