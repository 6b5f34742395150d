/**
 * ECharts as the app draws it, loaded by ChartBox only when a chart is shown: the chart types and
 * components the workspace and the big screen use (line and bar for trends, pie and title for the
 * donuts) are registered here once, never the whole library (docs/decisions.md), and vue-echarts'
 * component is this module's default export.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([CanvasRenderer, LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, TitleComponent]);

export { default } from 'vue-echarts';
