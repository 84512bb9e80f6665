import { describe, expect, it } from 'vitest';
import { LOCALES } from './resources';
import { languageName, resolveUiLang, textDirection } from './languages';

function flatten(value: unknown, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (typeof value === 'string') {
    out.set(prefix, value);
    return out;
  }
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    for (const [k, v] of flatten(child, prefix ? `${prefix}.${key}` : key)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) =>
  [...text.matchAll(/\{\{\s*(\w+)\s*\}\}|\{(\w+)\}/g)].map((m) => m[1] ?? m[2]).sort();

describe('locales', () => {
  const flat = Object.fromEntries(Object.entries(LOCALES).map(([l, r]) => [l, flatten(r)]));
  const allKeys = new Set(Object.values(flat).flatMap((m) => [...m.keys()]));

  it('ships French, English and Arabic', () => {
    expect(Object.keys(LOCALES).sort()).toEqual(['ar', 'en', 'fr']);
  });

  it.each(Object.keys(LOCALES))('%s has every key any other language has', (lang) => {
    const missing = [...allKeys].filter((k) => !flat[lang]?.has(k));
    expect(missing).toEqual([]);
  });

  it.each(Object.keys(LOCALES))('%s has no empty text', (lang) => {
    const empty = [...(flat[lang] ?? new Map<string, string>())]
      .filter(([, v]) => !v.trim())
      .map(([k]) => k);
    expect(empty).toEqual([]);
  });

  it.each(Object.keys(LOCALES))('%s uses the same placeholders as French', (lang) => {
    const mismatched = [...allKeys].filter(
      (k) =>
        JSON.stringify(placeholders(flat[lang]?.get(k) ?? '')) !==
        JSON.stringify(placeholders(flat.fr?.get(k) ?? '')),
    );
    expect(mismatched).toEqual([]);
  });
});

describe('language helpers', () => {
  it('names each language in itself', () => {
    expect(languageName('fr')).toBe('Français');
    expect(languageName('en')).toBe('English');
    expect(languageName('ar')).toBe('العربية');
  });

  it('lays Arabic out right to left', () => {
    expect(textDirection('ar')).toBe('rtl');
    expect(textDirection('fr')).toBe('ltr');
  });

  it('falls back to a shipped language', () => {
    expect(resolveUiLang('en-GB')).toBe('en');
    expect(resolveUiLang('de', 'en')).toBe('en');
    expect(resolveUiLang(null)).toBe('fr');
  });
});
