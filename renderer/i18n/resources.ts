import type { Locale } from './locale-type';
import { ar } from './locales/ar';
import { en } from './locales/en';
import { fr } from './locales/fr';

/** Every UI language the screens ship. A branch language outside this list falls back. */
export const LOCALES: Record<string, Locale> = { fr, en, ar };
export const UI_LANGUAGES = Object.keys(LOCALES);
export const FALLBACK_LANG = 'fr';
