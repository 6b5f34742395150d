/** Words every part of the app uses: KPI names, statuses, sources, levels. Keys follow the API's names. */
export const common = {
  'zh-CN': {
    appTitle: '城市文明网格态势平台',
    kpi: {
      reported: '上报数', due: '应结案数', closed: '结案数', closedOnTime: '按期结案数', closureRate: '结案率',
      onTimeRate: '按期结案率', immediate: '立行立改', immediateRate: '立行立改率', overdue: '超期未结',
      rework: '返工数', reworkRate: '返工率', medianHours: '处置时长中位数', meanHours: '平均处置时长',
      density: '问题密度', workload: '网格工作量', score: '综合得分',
    },
    unit: { issues: '件', perKm2: '件/km²', hours: '小时', perGrid30d: '件/格/30天', points: '分' },
    level: { district: '区', street: '街道', community: '社区', grid: '网格', site: '点位' },
    status: { reported: '上报', opened: '立案', dispatched: '派遣', handled: '处置', verified: '核查', closed: '结案', cancelled: '注销', deferred: '缓办' },
    source: { patrol: '网格员巡查', inspection: '暗访', camera: '视频监控', hotline: '12345热线', assigned: '上级交办' },
    change: { mom: '环比', yoy: '同比' },
    live: { connected: '实时', reconnecting: '重新连接中…', offline: '连接中断' },
    language: 'English',
  },
  en: {
    appTitle: 'civgrid — civilized-city grid dashboard',
    kpi: {
      reported: 'Reported', due: 'Due', closed: 'Closed', closedOnTime: 'Closed on time', closureRate: 'Closure rate',
      onTimeRate: 'On-time rate', immediate: 'Fixed on the spot', immediateRate: 'On-the-spot rate', overdue: 'Overdue',
      rework: 'Reworked', reworkRate: 'Rework rate', medianHours: 'Median handling time', meanHours: 'Mean handling time',
      density: 'Density', workload: 'Grid workload', score: 'Score',
    },
    unit: { issues: '', perKm2: '/km²', hours: 'h', perGrid30d: '/grid/30 d', points: 'pts' },
    level: { district: 'District', street: 'Street', community: 'Community', grid: 'Grid', site: 'Site' },
    status: { reported: 'Reported', opened: 'Opened', dispatched: 'Dispatched', handled: 'Handled', verified: 'Verified', closed: 'Closed', cancelled: 'Cancelled', deferred: 'Deferred' },
    source: { patrol: 'Patrol', inspection: 'Covert inspection', camera: 'Camera', hotline: '12345 hotline', assigned: 'Assigned' },
    change: { mom: 'vs prev.', yoy: 'vs last year' },
    live: { connected: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' },
    language: '中文',
  },
};
