/**
 * zh-CN by default with an English switch (docs/decisions.md). Each area of the app keeps its messages in
 * its own module so the workspace, big screen and planner can grow independently.
 */
import { createI18n } from 'vue-i18n';
import { common } from './common';

export type Locale = 'zh-CN' | 'en';
const STORAGE_KEY = 'civgrid.locale';

function initialLocale(): Locale {
  const fromUrl = typeof location === 'undefined' ? null : new URLSearchParams(location.search).get('lang');
  const stored = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
  const wanted = fromUrl ?? stored;
  return wanted === 'en' ? 'en' : 'zh-CN';
}

export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': { common: common['zh-CN'] }, en: { common: common.en } },
});

/** Adds an area's messages (e.g. `workspace`, `screen`) under its own namespace. */
export function registerMessages(area: string, messages: Record<Locale, Record<string, unknown>>): void {
  for (const locale of ['zh-CN', 'en'] as const) i18n.global.mergeLocaleMessage(locale, { [area]: messages[locale] });
}

/** Switches the language and remembers it for the next visit. */
export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale;
  if (typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, locale);
  if (typeof document !== 'undefined') document.documentElement.lang = locale;
}
