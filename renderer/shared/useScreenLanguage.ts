import { useEffect } from 'react';
import { resolveUiLang, setUiLanguage } from '../i18n';
import { urlLang } from './boot';

/**
 * Screens without a visitor (display, counter, admin) speak the branch's default language,
 * unless the URL asks for another (?lang=ar), e.g. a second display for Arabic readers.
 */
export function useScreenLanguage(branchDefault: string | undefined): void {
  useEffect(() => {
    const wanted = urlLang() ?? branchDefault;
    if (wanted) setUiLanguage(resolveUiLang(wanted));
  }, [branchDefault]);
}
