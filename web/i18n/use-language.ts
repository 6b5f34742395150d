/**
 * The language switch of the workspace and the planner: changes the language and keeps the address
 * honest — `?lang=en` while in English, no `lang` in Chinese (the default), so a reload or a shared
 * link shows the language on screen.
 */
import { useI18n } from 'vue-i18n';
import { useRoute, useRouter, type LocationQuery } from 'vue-router';
import { setLocale, type Locale } from './index';

/** `query` with `lang` set for English and removed for Chinese; every other parameter kept. */
export function queryForLocale(query: LocationQuery | Record<string, string>, locale: Locale): Record<string, string | null | (string | null)[]> {
  const { lang: _drop, ...rest } = query;
  return locale === 'en' ? { ...rest, lang: 'en' } : rest;
}

/** A function that toggles between Chinese and English. */
export function useLanguageToggle(): () => void {
  const { locale } = useI18n();
  const route = useRoute();
  const router = useRouter();
  return () => {
    const next: Locale = locale.value === 'en' ? 'zh-CN' : 'en';
    setLocale(next);
    void router.replace({ query: queryForLocale(route.query, next) });
  };
}
