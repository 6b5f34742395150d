/**
 * Registers the ECharts parts of line and bar charts only (docs/decisions.md: charts are imported per
 * type to keep bundles small). Import this module from any component that draws such a chart;
 * registering twice is harmless.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([CanvasRenderer, LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent]);
