/** The trend panel's title, following the period filter: "本年趋势（按周）", "Last 30 days, daily". */
import { computed } from 'vue';
import { useI18n } from 'vue-i18n';
import { formatDate } from '../components/format';
import { useFiltersStore } from '../stores/filters';
import { trendCoverage } from './panel-logic';

/** A computed title for the trend of the current period. */
export function useTrendTitle() {
  const { t, locale } = useI18n();
  const filters = useFiltersStore();
  return computed(() => {
    const { covers, interval } = trendCoverage(filters.state.preset, filters.period);
    const period = covers === 'last30'
      ? t('workspace.panel.trendLast30')
      : typeof covers === 'string'
        ? t(`workspace.preset.${covers}`)
        : t('workspace.panel.rangeOf', { from: formatDate(covers.from, 'day', locale.value), to: formatDate(covers.to, 'day', locale.value) });
    return t('workspace.panel.trendOf', { period, interval: t(`workspace.panel.trendInterval.${interval}`) });
  });
}
