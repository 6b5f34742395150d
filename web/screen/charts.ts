/**
 * ECharts parts the screen uses, registered once: line and bar (shared registration) plus pie and
 * title for the donuts. Imported per chart type (docs/decisions.md) so the bundle carries nothing else.
 */
import '../components/charts/register-line-bar';
import { PieChart } from 'echarts/charts';
import { TitleComponent } from 'echarts/components';
import { use } from 'echarts/core';

use([PieChart, TitleComponent]);
