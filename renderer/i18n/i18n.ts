/**
 * Runtime-switchable UI language (English and Simplified Chinese). Every visible string goes through `t(key)`.
 * Strings live per feature in `strings/<feature>.ts`, each exporting `{ en: {...}, 'zh-CN': {...} }` with the same
 * keys; `i18n.test.ts` fails when a key is missing in either language.
 */
import { create } from 'zustand';
import { dictionaries, type StringKey } from './strings';

export type Locale = 'en' | 'zh-CN';
export const LOCALES: Locale[] = ['en', 'zh-CN'];

interface LocaleState {
  locale: Locale;
  setLocale(locale: Locale): void;
}

function initialLocale(): Locale {
  try {
    const saved = globalThis.localStorage?.getItem('qiview.locale');
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    /* storage unavailable: fall back to the browser language */
  }
  const nav = globalThis.navigator?.language ?? 'en';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export const useLocale = create<LocaleState>((set) => ({
  locale: initialLocale(),
  setLocale(locale) {
    try {
      globalThis.localStorage?.setItem('qiview.locale', locale);
    } catch {
      /* ignore */
    }
    document.documentElement.lang = locale;
    set({ locale });
  },
}));

/** Translate `key` in `locale`, replacing `{name}` placeholders with `vars`. Unknown keys return the key itself. */
export function translate(locale: Locale, key: StringKey, vars?: Record<string, string | number>): string {
  const s =
    (dictionaries[locale] as Record<string, string>)[key] ??
    (dictionaries.en as Record<string, string>)[key] ??
    key;
  return vars ? s.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? `{${k}}`)) : s;
}

/** React hook: returns `t(key, vars)` bound to the current locale; components re-render when it changes. */
export function useT(): (key: StringKey, vars?: Record<string, string | number>) => string {
  const locale = useLocale((s) => s.locale);
  return (key, vars) => translate(locale, key, vars);
}

/** Non-React access (e.g. Cornerstone overlays, exported reports). */
export function t(key: StringKey, vars?: Record<string, string | number>): string {
  return translate(useLocale.getState().locale, key, vars);
}
