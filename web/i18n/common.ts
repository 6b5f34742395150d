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
    nav: { label: '页面', screen: '大屏', plan: '网格规划', signIn: '登录', signOut: '退出登录', screenTitle: '指挥中心大屏（新窗口）', planTitle: '编辑网格方案（需规划员令牌）' },
    notice: {
      loading: '正在加载…', loadingBody: '正在连接服务器并读取区域数据。', retry: '重试', recheck: '重新检查',
      network: '无法连接服务器', networkBody: '请确认服务已启动（npm start），网络连通后点击重试。',
      server: '服务器返回错误', serverBody: '请查看服务器日志，排除问题后点击重试。',
      empty: '数据库为空', emptyBody: '尚未导入任何区域数据，地图无从绘制。', emptyImport: '导入区划：', emptyDemo: '或不设置 CIVGRID_DEMO=0 重新启动服务，自动生成演示城市。',
    },
  },
  en: {
    appTitle: 'civgrid — civilized-city grid dashboard',
    kpi: {
      reported: 'Reported', due: 'Due', closed: 'Closed', closedOnTime: 'Closed on time', closureRate: 'Closure rate',
      onTimeRate: 'On-time rate', immediate: 'Fixed on the spot', immediateRate: 'On-the-spot rate', overdue: 'Overdue',
      rework: 'Reworked', reworkRate: 'Rework rate', medianHours: 'Median handling time', meanHours: 'Mean handling time',
      density: 'Density', workload: 'Grid workload', score: 'Score',
    },
    unit: { issues: 'issues', perKm2: '/km²', hours: 'h', perGrid30d: '/grid/30 d', points: 'pts' },
    level: { district: 'District', street: 'Street', community: 'Community', grid: 'Grid', site: 'Site' },
    status: { reported: 'Reported', opened: 'Opened', dispatched: 'Dispatched', handled: 'Handled', verified: 'Verified', closed: 'Closed', cancelled: 'Cancelled', deferred: 'Deferred' },
    source: { patrol: 'Patrol', inspection: 'Covert inspection', camera: 'Camera', hotline: '12345 hotline', assigned: 'Assigned' },
    change: { mom: 'vs prev.', yoy: 'vs last year' },
    live: { connected: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' },
    language: '中文',
    nav: { label: 'Pages', screen: 'Big screen', plan: 'Grid plans', signIn: 'Sign in', signOut: 'Sign out', screenTitle: 'Command-center screen (new window)', planTitle: 'Edit grid plans (needs a planner token)' },
    notice: {
      loading: 'Loading…', loadingBody: 'Connecting to the server and reading the regions.', retry: 'Retry', recheck: 'Check again',
      network: 'Cannot reach the server', networkBody: 'Make sure the server is running (npm start), then retry.',
      server: 'The server answered with an error', serverBody: 'See the server log, fix the cause, then retry.',
      empty: 'The database is empty', emptyBody: 'No regions are loaded yet, so there is no map to draw.', emptyImport: 'Import regions:', emptyDemo: 'Or restart the server without CIVGRID_DEMO=0 to generate the demo city.',
    },
  },
};
