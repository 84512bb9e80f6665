import type { fr } from './locales/fr';

type DeepStrings<T> = { [K in keyof T]: T[K] extends string ? string : DeepStrings<T[K]> };

/** Every locale has exactly the French keys; the compiler catches a missing one first. */
export type Locale = DeepStrings<typeof fr>;
