/**
 * What a monthly bulletin (一月一通报) says, as plain data. The content is assembled once
 * (content.ts, from the API's own answers) and every format — the print view and its PDF, the
 * DOCX, the XLSX — renders this same object, so no format can count differently from another.
 */
import type { ScopeLevel } from '../domain/scope.ts';

/** The period a bulletin covers: a calendar month, a quarter, or a custom range of days (Asia/Shanghai). */
export interface BulletinPeriod {
  kind: 'month' | 'quarter' | 'range';
  /** As written in the request: `2026-11`, `2026-Q4`, `2026-10-01..2026-10-31`. */
  text: string;
  /** 2026年11月, 2026年第四季度, 2026年10月1日至10月31日. */
  label: string;
  /** Half-open [from, to), ISO instants. */
  from: string;
  to: string;
}

/** A unit of the hierarchy (or a department) as the bulletin names it. */
export interface BulletinUnit {
  level: ScopeLevel | 'department';
  code: string;
  name: string;
}

/** How a figure is written: a count (件), a rate (a fraction shown as %), a score (分) or hours. */
export type FigureUnit = 'count' | 'rate' | 'score' | 'hours';

/** A change against a compared period: relative % for counts, percentage points for rates, a difference (abs) for scores — as the screens read it. */
export interface FigureChange {
  value: number;
  kind: 'pct' | 'pts' | 'abs';
}

/** One headline figure with its 环比 and 同比. */
export interface HeadlineFigure {
  /** The KPI's field in the API's `kpis` record (`reported`, `onTimeRate`, `score` …). */
  key: string;
  /** 上报, 按期结案率 … */
  label: string;
  unit: FigureUnit;
  value: number | null;
  previous: number | null;
  lastYear: number | null;
  /** Null when the compared period has no value or a zero base. */
  changePrevious: FigureChange | null;
  changeLastYear: FigureChange | null;
}

/** One unit's row in the red/black lists and in the table of all units. */
export interface UnitRow {
  code: string;
  name: string;
  /** 1 = best; null = nothing was due, so no score and no rank. */
  rank: number | null;
  previousRank: number | null;
  /** > 0 climbed, < 0 fell, null = no previous rank. */
  rankChange: number | null;
  score: number | null;
  /** The score's parts by name (按期结案率得分 …), as the API's `scoreParts`. */
  scoreParts: Record<string, number> | null;
  reported: number;
  due: number;
  closed: number;
  closedOnTime: number;
  overdue: number;
  onTimeRate: number | null;
  closureRate: number | null;
  immediateRate: number | null;
  reworkRate: number | null;
}

/** 红黑榜 of the units one level down, plus the full table. */
export interface UnitTable {
  level: ScopeLevel | 'department';
  /** 街道, 区, 区直单位 … */
  levelLabel: string;
  /** Best first. */
  red: UnitRow[];
  /** Worst first. */
  black: UnitRow[];
  /** Units with nothing due in the period, listed as such. */
  nothingDue: BulletinUnit[];
  /** Every unit, ranked ones by rank, then the unranked by code. */
  rows: UnitRow[];
}

/** A category's figures and its change against the previous period. */
export interface CategoryRow {
  code: string;
  name: string;
  reported: number;
  previousReported: number | null;
  changePct: number | null;
  overdue: number;
}

/** A key-site type with its sites' 红黄绿灯 status. */
export interface SiteTypeRow {
  type: string;
  name: string;
  sites: number;
  red: number;
  amber: number;
  green: number;
  /** Open issues at those sites now, and those overdue. */
  open: number;
  overdue: number;
}

/** A key site with many overdue cases. */
export interface SiteRow {
  id: string;
  name: string;
  typeName: string;
  /** Its street's name (or district's for a city). */
  place: string;
  accountable: string | null;
  status: 'red' | 'amber' | 'green';
  overdue: number;
  longOverdue: number;
}

/** One of the oldest overdue cases. */
export interface OverdueCase {
  id: string;
  unit: string;
  category: string;
  address: string | null;
  reportedAt: string;
  deadline: string;
  /** How long past its deadline: whole days, or hours when less than a day. */
  overdueFor: { unit: 'days' | 'hours'; n: number };
  grid: string | null;
  inspector: string | null;
}

/** A map drawn for the bulletin: a PNG with its caption and legend. */
export interface MapImage {
  caption: string;
  /** PNG bytes, base64 (JSON-safe for the print view). */
  png: string;
  width: number;
  height: number;
  legend: { label: string; colour: string }[];
}

/** A photo as the API serves it (derived sizes only: no metadata). */
export interface PhotoRef {
  hash: string;
  kind: 'before' | 'after' | 'other';
  takenAt: string | null;
  flags: string[];
  urls: { thumb: string; view: string };
}

/** A closure with its 整改前 and 整改后 photos, or a worst open case with its photo. */
export interface PhotoCase {
  issueId: string;
  category: string;
  place: string;
  closedAt: string | null;
  before: PhotoRef | null;
  after: PhotoRef | null;
}

/** A paragraph of template text, already filled; `strong` parts are emphasised. */
export interface Paragraph {
  text: string;
}

/** A definition in the footnote: what a figure counts. */
export interface Definition {
  term: string;
  text: string;
}

/** The whole bulletin. Optional sections are null when the data has nothing for them. */
export interface Bulletin {
  /** 昆明市创文办 2026年11月 城市文明网格化管理通报 (from the template). */
  title: string;
  /** The archive number (2026年第11期) once stored; null in a preview. */
  number: string | null;
  scope: BulletinUnit;
  /** The region whose office issues the bulletin: the top region (a district's bulletin from a city is the city's). */
  issuer: string;
  period: BulletinPeriod;
  /** The compared periods' labels and as-of instants (环比 / 同比), as the summary answers them. */
  compared: { previous: { label: string; asOf: string } | null; lastYear: { label: string; asOf: string } | null };
  /** The data as of this instant (the clock when generated). */
  asOf: string;
  dataVersion: number;
  headline: HeadlineFigure[];
  /** Units one level down; null for a scope without a level below (a grid). */
  units: UnitTable | null;
  /** 区直单位 when departments exist in the data. */
  departments: UnitTable | null;
  categories: CategoryRow[];
  siteTypes: SiteTypeRow[];
  worstSites: SiteRow[];
  oldestOverdue: OverdueCase[];
  maps: { score: MapImage | null; heat: MapImage | null };
  photos: { pairs: PhotoCase[]; worstOpen: PhotoCase[] };
  /** Filled template sections by name (intro, ranking, demands …), in the template's order. */
  text: { section: string; heading: string | null; paragraphs: Paragraph[] }[];
  definitions: Definition[];
}

/** What to generate: a scope (the top region when absent) and a period. */
export interface BulletinRequest {
  scope: string | null;
  period: string;
}

/** Builds a bulletin; implemented by content.ts (`buildBulletin(deps, request)`), the one assembler every format uses. */
export type BuildBulletin = (request: BulletinRequest) => Promise<Bulletin>;
