// Mounts one screen: i18n first (so the first paint is translated), then React.
import { StrictMode, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { resolveUiLang, setUiLanguage } from '../i18n';
import { captureUrlToken } from './url-token';
import './base.css';

/** The ?lang= of the URL, for screens that follow the branch default otherwise. */
export function urlLang(): string | null {
  return new URLSearchParams(location.search).get('lang');
}

export function mountScreen(screen: ReactNode): void {
  captureUrlToken();
  setUiLanguage(resolveUiLang(urlLang()));
  const root = document.getElementById('root');
  if (!root) throw new Error('#root missing from the page');
  createRoot(root).render(<StrictMode>{screen}</StrictMode>);
}
