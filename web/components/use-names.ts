/** Names of categories, site types, statuses and sources for components, in the current language. */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import type { Meta } from '../api/civgrid';
import { useMetaStore } from '../stores/meta';
import { displayName, nameTable } from './names';

/**
 * Name lookups over `/api/meta` (the meta store's unless `meta` is given, e.g. the big screen's own
 * copy). Statuses and sources are the app's own words (common.status / common.source).
 */
export function useNames(meta?: () => Meta | null | undefined) {
  const { t, te, locale } = useI18n();
  const source = meta ?? (() => useMetaStore().meta);
  const categories = computed(() => nameTable(source()?.categories));
  const siteTypes = computed(() => nameTable(source()?.siteTypes));
  const word = (group: 'status' | 'source', code: string, fallback?: string | null) =>
    te(`common.${group}.${code}`) ? t(`common.${group}.${code}`) : (fallback ?? code);
  return {
    category: (code: string | null | undefined, fallback?: string | null) => displayName(categories.value, code, locale.value, fallback),
    siteType: (code: string | null | undefined, fallback?: string | null) => displayName(siteTypes.value, code, locale.value, fallback),
    status: (code: string, fallback?: string | null) => word('status', code, fallback),
    source: (code: string, fallback?: string | null) => word('source', code, fallback),
  };
}
