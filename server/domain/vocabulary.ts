/** The closed vocabularies of docs/domain.md, README *Properties*, with the Chinese labels imports accept and screens show. */

export const ISSUE_STATUSES = {
  reported: ['上报', '已上报', '待受理'],
  opened: ['立案', '已立案'],
  dispatched: ['派遣', '已派遣', '处置中'],
  handled: ['处置', '已处置', '待核查'],
  verified: ['核查', '已核查', '待结案'],
  closed: ['结案', '已结案', '办结'],
  cancelled: ['注销', '已注销', '作废'],
  deferred: ['缓办', '挂账', '缓办挂账'],
} as const;
export type IssueStatus = keyof typeof ISSUE_STATUSES;

export const ISSUE_SOURCES = {
  patrol: ['网格员巡查', '巡查', '网格员上报'],
  inspection: ['暗访', '督查暗访', '测评暗访'],
  camera: ['视频', '视频监控', '摄像头', '智能识别'],
  hotline: ['12345', '热线', '市民热线', '公众举报'],
  assigned: ['上级交办', '交办', '领导交办'],
} as const;
export type IssueSource = keyof typeof ISSUE_SOURCES;

export const REGION_LEVELS = {
  city: ['市', '地级市'],
  district: ['区', '县', '区县', '市辖区'],
  street: ['街道', '镇', '乡', '乡镇', '开发区', '街道办'],
  community: ['社区', '村', '居委会', '村委会'],
} as const;
export type RegionLevel = keyof typeof REGION_LEVELS;

export const CATEGORY_KINDS = {
  component: ['部件'],
  event: ['事件'],
} as const;
export type CategoryKind = keyof typeof CATEGORY_KINDS;

export const LIMIT_UNITS = {
  work_hours: ['工作时', '工作小时', 'workhours', 'work hours'],
  work_days: ['工作日', 'workdays', 'work days'],
  hours: ['小时', '自然时', 'h'],
  days: ['天', '日', '自然日', 'd'],
} as const;
export type LimitUnit = keyof typeof LIMIT_UNITS;

/** Kinds of department (责任单位): a 区直/市直 department, a street office (街道办), an enterprise (供水、燃气 …). */
export const DEPARTMENT_KINDS = {
  department: ['部门', '区直单位', '职能部门', '市直单位'],
  'street-office': ['街道办', '街道', '镇政府', '乡镇'],
  enterprise: ['企业', '国有企业', '公司'],
} as const;
export type DepartmentKind = keyof typeof DEPARTMENT_KINDS;

/** The government level a department belongs to. */
export const DEPARTMENT_LEVELS = {
  district: ['区', '区级', '县', '区直'],
  city: ['市', '市级', '市直'],
} as const;
export type DepartmentLevel = keyof typeof DEPARTMENT_LEVELS;

export const STATUS_LABELS: Record<IssueStatus, string> = Object.fromEntries(
  Object.entries(ISSUE_STATUSES).map(([k, v]) => [k, v[0]]),
) as Record<IssueStatus, string>;
