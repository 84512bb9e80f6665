// Pure helpers about languages, kept apart from the i18next instance so unit tests stay light.
import { FALLBACK_LANG, LOCALES } from './resources';

const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'dv', 'ku', 'yi']);

export function textDirection(lang: string): 'rtl' | 'ltr' {
  return RTL.has(lang.split('-')[0] ?? lang) ? 'rtl' : 'ltr';
}

/** A language named in itself ("Français", "English", "العربية"), as a visitor looks for it. */
export function languageName(lang: string): string {
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang;
    return name.charAt(0).toLocaleUpperCase(lang) + name.slice(1);
  } catch {
    return lang;
  }
}

/** The UI language to use for `wanted`: itself if we ship it, else its base, else the fallback. */
export function resolveUiLang(wanted: string | null | undefined, fallback = FALLBACK_LANG): string {
  if (wanted && wanted in LOCALES) return wanted;
  const base = wanted?.split('-')[0];
  if (base && base in LOCALES) return base;
  return fallback in LOCALES ? fallback : FALLBACK_LANG;
}
