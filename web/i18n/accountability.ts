/**
 * Messages of the accountable units in the workspace: the 地理 | 责任单位 tabs, the department
 * red/black list and the inspector's panel. Every figure's label says what it counts.
 */
import { registerMessages } from './index';

export const accountability = {
  'zh-CN': {
    tab: { label: '查看方式', geo: '地理', departments: '责任单位' },
    list: {
      title: '区直单位红黑榜',
      name: '全部责任单位',
      note: '按综合得分排名（满分100），统计各单位被派遣案件',
      red: '红榜（得分最高）',
      black: '黑榜（得分最低）',
      middle: '其余单位（按名次）',
      score: '综合得分',
      row: '应结案 {due} 件 · 超期未结 {overdue} 件',
      idle: '另有 {n} 个单位期内应结案件不足 {min} 件，不参与排名',
      empty: '没有责任单位的数据（请先导入责任单位并为问题指定处置单位）',
    },
    kind: { department: '区直部门', 'street-office': '街道办事处', enterprise: '企业单位' },
    map: '地图仅显示 {name} 承办的问题',
    inspector: {
      title: '网格员',
      open: '查看网格员 {name} 的履职情况',
      back: '返回',
      figures: '履职情况',
      found: '本人上报',
      foundCounts: '期内以上报人身份发现的问题',
      issues: '责任网格问题',
      issuesCounts: '期内在其负责网格内上报的问题',
      due: '责任网格应结案',
      dueCounts: '期内到期的问题',
      onTimeRate: '责任网格按期结案率',
      onTimeRateCounts: '按期结案 {onTime} 件 ÷ 应结案 {due} 件',
      grids: '负责网格（{n} 个）',
      noGrids: '当前网格划分中没有该网格员负责的网格',
      none: '所选时段内没有该网格员的记录',
      rank: '网格之星排名：第 {rank} 名（按责任网格按期结案率）',
    },
  },
  en: {
    tab: { label: 'View by', geo: 'Geography', departments: 'Departments' },
    list: {
      title: 'Departments: red & black list',
      name: 'All departments',
      note: 'Ranked by score (out of 100) over the cases dispatched to each department',
      red: 'Red list (highest scores)',
      black: 'Black list (lowest scores)',
      middle: 'Other departments (by rank)',
      score: 'Score',
      row: '{due} due · {overdue} overdue',
      idle: '{n} more departments had fewer than {min} cases due in the period and are not ranked',
      empty: 'No department data (import departments and give issues a handling department first)',
    },
    kind: { department: 'District department', 'street-office': 'Street office', enterprise: 'Enterprise' },
    map: 'The map shows only issues handled by {name}',
    inspector: {
      title: 'Inspector',
      open: 'Open the record of inspector {name}',
      back: 'Back',
      figures: 'Record',
      found: 'Found',
      foundCounts: 'issues they reported in the period',
      issues: 'In their grids',
      issuesCounts: 'issues reported in their grids in the period',
      due: 'Due in their grids',
      dueCounts: 'issues whose deadline fell in the period',
      onTimeRate: 'On time in their grids',
      onTimeRateCounts: '{onTime} closed on time ÷ {due} due',
      grids: 'Their grids ({n})',
      noGrids: 'No grid of the published plan names this inspector',
      none: 'No record of this inspector in the period',
      rank: 'Grid-star ranking: no. {rank} (by their grids\' on-time rate)',
    },
  },
};

registerMessages('accountability', accountability);
