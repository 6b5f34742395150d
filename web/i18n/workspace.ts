/** Messages of the leader workspace (route `/`). KPI, status and source words are in common.ts. */
import { registerMessages } from './index';

export const workspace = {
  'zh-CN': {
    title: '领导工作台',
    search: { placeholder: '搜索区县、街道、社区、网格、点位（名称或编码）', label: '搜索', empty: '没有匹配的结果', hint: '↑↓ 选择 · Enter 进入 · Esc 关闭' },
    preset: { today: '今日', week: '本周', month: '本月', quarter: '本季度', year: '本年', '30d': '近30天', custom: '自定义' },
    filter: {
      period: '时间', from: '开始日期', to: '结束日期', category: '问题类别', source: '来源', status: '状态', siteType: '点位类型',
      all: '全部', selected: '已选 {n}', clear: '清除筛选', apply: '应用',
    },
    layer: {
      title: '图层', grids: '网格着色', outlines: '街道社区边界', reference: '道路水系地标', sites: '重点点位', heat: '问题热力', issues: '问题点位', live: '实时新增',
      metric: '着色指标', basemap: '底图', offline: '离线底图（区划）', basemapShifted: '数据已按 GCJ-02 偏移叠加，与底图对齐', noData: '无数据', zoomHint: '放大到 {z} 级显示', greenZoomHint: '绿灯点位放大到 {z} 级显示', siteStatus: { red: '红灯·超期积压', amber: '黄灯·需关注', green: '绿灯·正常' },
      heatLow: '少', heatHigh: '多', issueState: { ok: '已结案', open: '处置中', overdue: '超期' },
    },
    metric: { reported: '上报数', overdue: '超期未结', onTimeRate: '按期结案率', density: '问题密度', score: '综合得分' },
    panel: {
      kpis: '核心指标', siteInfo: '点位信息', trend: '趋势', topCategories: '高发问题类别', subUnits: '下级排名', oldestOverdue: '最久超期未结',
      oldestOverdueNote: '当前全部超期未结问题，不受时段筛选限制，按截止时间由早到晚',
      districts: '区县', communities: '社区', grids: '网格', streets: '街道', noOverdue: '没有超期未结的问题', loading: '加载中…', failed: '加载失败：{message}',
      retry: '重试', byScore: '按综合得分', inspector: '网格员', households: '户', unit: '责任单位', siteType: '点位类型',
      zone: '管控范围', siteStatus: '红黄绿灯', siteOverdue: '超期未结', siteLongOverdue: '其中超期 {d} 天以上 {n} 件', siteOpen: '未结（期内上报）', siteReported: '期内上报', pieces: '{n} 件', recentIssues: '最近问题', noIssues: '该范围内没有问题', overdueSince: '超期 {d}', grid: '责任网格',
      unranked: '{n} 个单位应结案件不足 {min} 件，未参与排名', deadline: '截止', reportedAt: '上报', back: '返回', open: '查看',
      trendOf: '{period}趋势（{interval}）', trendLast30: '近30天', rangeOf: '{from} 至 {to}', toDate: '至今',
      trendInterval: { day: '按日', week: '按周', month: '按月' },
    },
    issue: {
      title: '问题详情', timeline: '处置过程', category: '类别', source: '来源', status: '状态', address: '地址', description: '描述',
      grid: '网格', inspector: '网格员', sites: '所在点位', deadline: '截止时间', overdue: '已超期', immediate: '立行立改', close: '关闭',
      importedNoActor: '数据导入（未记录经办人）', inspectorNote: '（网格员 {name}）',
      event: {
        reported: '上报', opened: '立案', dispatched: '派遣', handled: '处置', verified: '核查', closed: '结案', cancelled: '注销',
        returned: '回退', extended: '延期', deferred: '缓办', rework: '返工',
      },
    },
    bulletin: { ready: '上月通报已生成', title: '下载{period}通报（{number}，Word）' },
    export: {
      csv: '导出清单', png: '导出图片', csvTitle: '按当前范围和筛选导出问题清单（CSV）', pngTitle: '导出当前地图视图（PNG）',
      caption: { period: '时间：{v}', range: '{from} 至 {to}', filter: '{name}：{v}', noFilter: '筛选：无', metric: '着色指标：{v}', exportedAt: '导出于 {v}', more: ' 等，另 {n} 项' },
    },
    duration: { days: '{n} 天', hours: '{n} 小时' },
    breadcrumb: '层级导航',
    scopeLevel: { city: '市', district: '区', street: '街道', community: '社区', grid: '网格', site: '点位', department: '责任单位' },
  },
  en: {
    title: 'Leader workspace',
    search: { placeholder: 'Search districts, streets, communities, grids, sites (name or code)', label: 'Search', empty: 'No matches', hint: '↑↓ choose · Enter open · Esc close' },
    preset: { today: 'Today', week: 'This week', month: 'This month', quarter: 'This quarter', year: 'This year', '30d': 'Last 30 days', custom: 'Custom' },
    filter: {
      period: 'Period', from: 'From', to: 'To', category: 'Category', source: 'Source', status: 'Status', siteType: 'Site type',
      all: 'All', selected: '{n} selected', clear: 'Clear filters', apply: 'Apply',
    },
    layer: {
      title: 'Layers', grids: 'Grid choropleth', outlines: 'Street & community outlines', reference: 'Roads, water & landmarks', sites: 'Key sites', heat: 'Issue heat', issues: 'Issues', live: 'Live arrivals',
      metric: 'Metric', basemap: 'Basemap', offline: 'Offline (regions)', basemapShifted: 'Data drawn shifted to GCJ-02 to match the tiles', noData: 'No data', zoomHint: 'shown from zoom {z}', greenZoomHint: 'green sites shown from zoom {z}', siteStatus: { red: 'Red · overdue backlog', amber: 'Amber · attention', green: 'Green · on track' },
      heatLow: 'few', heatHigh: 'many', issueState: { ok: 'Closed', open: 'In progress', overdue: 'Overdue' },
    },
    metric: { reported: 'Reported', overdue: 'Overdue', onTimeRate: 'On-time rate', density: 'Density', score: 'Score' },
    panel: {
      kpis: 'Key figures', siteInfo: 'Site', trend: 'Trend', topCategories: 'Top categories', subUnits: 'Ranking below', oldestOverdue: 'Longest overdue',
      oldestOverdueNote: 'All issues overdue now, whatever the period; oldest deadline first',
      districts: 'Districts', communities: 'Communities', grids: 'Grids', streets: 'Streets', noOverdue: 'No overdue issues', loading: 'Loading…', failed: 'Failed: {message}',
      retry: 'Retry', byScore: 'by score', inspector: 'Inspector', households: 'Households', unit: 'Accountable unit', siteType: 'Site type',
      zone: 'Zone', siteStatus: 'Status', siteOverdue: 'Overdue', siteLongOverdue: '{n} of them more than {d} days past due', siteOpen: 'Open (reported in period)', siteReported: 'Reported in period', pieces: '{n}', recentIssues: 'Recent issues', noIssues: 'No issues here', overdueSince: 'overdue {d}', grid: 'Grid',
      unranked: '{n} units had fewer than {min} cases due and are not ranked', deadline: 'Due', reportedAt: 'Reported', back: 'Back', open: 'Open',
      trendOf: '{period}, {interval}', trendLast30: 'Last 30 days', rangeOf: '{from} – {to}', toDate: 'to date',
      trendInterval: { day: 'daily', week: 'weekly', month: 'monthly' },
    },
    issue: {
      title: 'Issue', timeline: 'Timeline', category: 'Category', source: 'Source', status: 'Status', address: 'Address', description: 'Description',
      grid: 'Grid', inspector: 'Inspector', sites: 'Key sites', deadline: 'Deadline', overdue: 'Overdue', immediate: 'Fixed on the spot', close: 'Close',
      importedNoActor: 'imported, no person recorded', inspectorNote: ' (inspector {name})',
      event: {
        reported: 'Reported', opened: 'Opened', dispatched: 'Dispatched', handled: 'Handled', verified: 'Verified', closed: 'Closed', cancelled: 'Cancelled',
        returned: 'Returned', extended: 'Extended', deferred: 'Deferred', rework: 'Rework',
      },
    },
    bulletin: { ready: 'Last month\'s bulletin is ready', title: 'Download the {period} bulletin ({number}, Word)' },
    export: {
      csv: 'Export CSV', png: 'Export PNG', csvTitle: 'Issues of the current scope and filters (CSV)', pngTitle: 'The current map view (PNG)',
      caption: { period: 'Period: {v}', range: '{from} – {to}', filter: '{name}: {v}', noFilter: 'Filters: none', metric: 'Colour: {v}', exportedAt: 'Exported {v}', more: ' and {n} more' },
    },
    duration: { days: '{n} d', hours: '{n} h' },
    breadcrumb: 'Drill path',
    scopeLevel: { city: 'City', district: 'District', street: 'Street', community: 'Community', grid: 'Grid', site: 'Site', department: 'Department' },
  },
};

registerMessages('workspace', workspace);
