// i18next for all four screens: one instance, the language picked per screen (kiosk visitor,
// branch default, or ?lang=), and <html lang dir> kept in step so Arabic lays out right-to-left.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { FALLBACK_LANG, LOCALES } from './resources';

export { UI_LANGUAGES, FALLBACK_LANG } from './resources';
export { languageName, resolveUiLang, textDirection } from './languages';

const resources = Object.fromEntries(
  Object.entries(LOCALES).map(([lang, locale]) => [lang, { translation: locale }]),
);

void i18next.use(initReactI18next).init({
  resources,
  lng: FALLBACK_LANG,
  fallbackLng: ['en', FALLBACK_LANG],
  interpolation: { escapeValue: false }, // React escapes already.
  returnNull: false,
  initAsync: false,
});

export const i18n = i18next;

/** Switch the UI language and the document's lang/dir together. */
export function setUiLanguage(lang: string): void {
  void i18next.changeLanguage(lang);
  document.documentElement.lang = lang;
  document.documentElement.dir = i18next.dir(lang);
}
