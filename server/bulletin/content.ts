/**
 * Assembles a bulletin (model.ts) for a scope and a period from the read API's own answers
 * (api-reader.ts) and the office's template: the one place a bulletin's content is decided, so the
 * print view, the PDF, the DOCX and the XLSX cannot disagree with each other or with the screens.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppDeps } from '../app.ts';
import { invalidParameter } from '../domain/errors.ts';
import { dayLabel, parseNamedPeriod } from '../domain/periods.ts';
import { levelBelow, parseScope, type ScopeLevel } from '../domain/scope.ts';
import { shanghaiClock, shanghaiDate } from '../domain/time.ts';
import { periodOf } from '../kpi/filters.ts';
import { pct } from '../kpi/timeseries.ts';
import type { IssueItem } from '../queries/issues.ts';
import { apiReader, type ApiRead } from './api-reader.ts';
import { changeText, figureText, rankChangeText } from './format.ts';
import { boxOf, polygonsOf, type Bbox } from '../domain/geometry.ts';
import { binGrid, CELL_DEFAULT } from '../kpi/heat.ts';
import { overdueFor } from '../domain/deadline.ts';
import { drawHeatMap, drawScoreMap, type HeatPoint, type MapFeature } from './maps.ts';
import type {
  Bulletin, BulletinRequest, CategoryRow, FigureChange, FigureUnit, HeadlineFigure, OverdueCase, PhotoCase, PhotoRef, SiteRow,
  SiteTypeRow, UnitRow, UnitTable,
} from './model.ts';
import { fillText, parseTemplate, TemplateError } from './template.ts';
import { KPI_DISPLAY } from '../../web/components/format.ts';
import { redBlackLists } from '../../web/components/red-black.ts';

/** The template file inside the template folder. */
export const TEMPLATE_FILE = 'bulletin.md';

/** How many units each of the red and the black list shows (fewer when the units are few, so they never overlap). */
const LIST_SIZE = 5;
const OLDEST_OVERDUE = 10;
const WORST_SITES = 10;
const PHOTO_PAIRS = 4;
/** Heat bins across the map: fine enough to show hot streets, coarse enough to read in print. */
const HEAT_COLUMNS = 70;

/** The headline figures, in the order 创文办 bulletins list them; how each is printed and compared is the screens' (KPI_DISPLAY). */
const HEADLINE: { key: 'reported' | 'due' | 'closed' | 'onTimeRate' | 'closureRate' | 'overdue' | 'immediateRate' | 'reworkRate' | 'score'; label: string }[] = [
  { key: 'reported', label: '上报' },
  { key: 'due', label: '应结案' },
  { key: 'closed', label: '结案' },
  { key: 'onTimeRate', label: '按期结案率' },
  { key: 'closureRate', label: '结案率' },
  { key: 'overdue', label: '超期未结' },
  { key: 'immediateRate', label: '立行立改率' },
  { key: 'reworkRate', label: '返工率' },
  { key: 'score', label: '综合得分' },
];

/** What each figure counts, printed under the tables (the KPI rules of the domain kernel, in words). */
const DEFINITIONS = [
  { term: '上报', text: '期内上报的问题件数（按上报时间）。' },
  { term: '应结案', text: '处置时限在期内届满的问题件数（已作废、缓办的不计）。' },
  { term: '结案', text: '应结案中已结案的件数；结案率 = 结案 ÷ 应结案。' },
  { term: '按期结案率', text: '应结案中在处置时限内结案的件数 ÷ 应结案。处置时限按工作日历计算。' },
  { term: '超期未结', text: '处置时限已过仍未结案的件数（统计截至时点，不限上报时间）。' },
  { term: '立行立改率', text: '期内上报的问题中现场立即整改的比例。' },
  { term: '返工率', text: '结案后因核查不合格被退回重办的比例。' },
  { term: '综合得分', text: '按期结案率、结案率、立行立改率、返工率和超期未结按配置权重计算的百分制得分；无应结案件的单位不计分、不排名。' },
  { term: '环比 / 同比', text: '环比与上月同期（从某月1日起的期间）或上一等长周期比较，同比与上年同期比较；比较期按与本期相同的截至时点计算（同样的“事后时间”），率的变化以百分点表示。' },
];

const LEVEL_LABEL: Record<ScopeLevel | 'department', string> = {
  city: '市', district: '区', street: '街道', community: '社区', grid: '网格', site: '点位', department: '区直单位',
};

const CHINESE_NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

type Kpis = Record<string, number | null> & { scoreParts?: Record<string, number> | null };
type Summary = {
  scope: { level: ScopeLevel; id: string; name: string };
  kpis: Kpis;
  previous: { period: { from: string; to: string }; asOf: string; kpis: Kpis } | null;
  lastYear: { period: { from: string | null; to: string | null }; asOf: string; kpis: Kpis } | null;
  change: { previous: Record<string, number | null> | null; lastYear: Record<string, number | null> | null };
};
type RankEntry = { code: string; name: string; rank: number; previousRank: number | null; rankChange: number | null; score: number | null; scoreParts: Record<string, number> | null };
type Ranking = { ranked: number; red: RankEntry[]; black: RankEntry[] };
type Feature<P> = { id: string; geometry: MapFeature['geometry'] | null; properties: P };
type UnitProps = Kpis & { code: string; name: string };
type SiteProps = Kpis & { id: string; type: string; typeName: string; name: string; unit: string | null; street: string | null; status: 'red' | 'amber' | 'green'; openCount: number; longOverdue: number };
type Breakdown = { rows: { key: string | null; name: string; kpis: Kpis }[] };
type ApiPhoto = { hash: string; kind: 'before' | 'after' | 'other'; takenAt: string | null; flags: string[]; urls: { thumb: string; view: string } };
type RegionNode = { code: string; name: string; children: RegionNode[] };
type Meta = { top: { level: ScopeLevel; code: string; name: string }; regions: RegionNode[]; departments?: { code: string; name: string; kind: string }[] };

/** Region names by code, from the meta tree. */
function regionNames(nodes: RegionNode[], into = new Map<string, string>()): Map<string, string> {
  for (const n of nodes) {
    into.set(n.code, n.name);
    regionNames(n.children, into);
  }
  return into;
}

/** Options of {@link buildBulletin}. */
export interface BulletinOptions {
  /** The folder holding bulletin.md (the deployment's, or data/bulletin). */
  templateDir: string;
}

/** Reads the period, or refuses it naming why. */
function namedPeriodOf(text: string, now: Date) {
  const period = parseNamedPeriod(text, shanghaiDate(now));
  if ('error' in period) throw invalidParameter('period', period.error);
  return period;
}

const num = (v: number | null | undefined): number => (typeof v === 'number' ? v : 0);
const rate = (v: number | null | undefined): number | null => (typeof v === 'number' ? v : null);

function unitRow(code: string, name: string, k: Kpis, rank: RankEntry | undefined): UnitRow {
  return {
    code, name,
    rank: rank?.rank ?? null, previousRank: rank?.previousRank ?? null, rankChange: rank?.rankChange ?? null,
    score: rate(k.score), scoreParts: rank?.scoreParts ?? k.scoreParts ?? null,
    reported: num(k.reported), due: num(k.due), closed: num(k.closed), closedOnTime: num(k.closedOnTime), overdue: num(k.overdue),
    onTimeRate: rate(k.onTimeRate), closureRate: rate(k.closureRate), immediateRate: rate(k.immediateRate), reworkRate: rate(k.reworkRate),
  };
}

/** Every unit with its rank from the ranking's answer; red and black split as the screens split them. */
function unitTable(level: ScopeLevel | 'department', units: { code: string; name: string; kpis: Kpis }[], ranking: Ranking): UnitTable {
  const ranks = new Map([...ranking.red, ...ranking.black].map((e) => [e.code, e]));
  const rows = units.map((u) => unitRow(u.code, u.name, u.kpis, ranks.get(u.code)));
  rows.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  const ranked = rows.filter((r) => r.rank !== null);
  const lists = redBlackLists({ ranked: ranked.length, red: ranked, black: [...ranked].reverse() }, LIST_SIZE);
  return {
    level, levelLabel: LEVEL_LABEL[level], red: lists.red, black: lists.black,
    nothingDue: rows.filter((r) => r.rank === null && r.due === 0).map((r) => ({ level, code: r.code, name: r.name })),
    rows,
  };
}

const changeOf = (value: number | null | undefined, kind: FigureChange['kind']): FigureChange | null =>
  typeof value === 'number' ? { value, kind } : null;

/** The headline figures with 环比 and 同比, exactly as the summary answers them. */
function headlineOf(s: Summary): HeadlineFigure[] {
  return HEADLINE.map((h) => {
    const display = KPI_DISPLAY[h.key];
    return {
      key: h.key, label: h.label, unit: display.kind as FigureUnit,
      value: rate(s.kpis[h.key]),
      previous: s.previous ? rate(s.previous.kpis[h.key]) : null,
      lastYear: s.lastYear ? rate(s.lastYear.kpis[h.key]) : null,
      changePrevious: changeOf(s.change.previous?.[display.change], display.unit),
      changeLastYear: changeOf(s.change.lastYear?.[display.change], display.unit),
    };
  });
}

const photoRef = (p: ApiPhoto | undefined | null): PhotoRef | null =>
  p ? { hash: p.hash, kind: p.kind, takenAt: p.takenAt, flags: p.flags, urls: p.urls } : null;

/**
 * Builds the bulletin of `request` from the API's answers at this moment. A scope or period the
 * API refuses is refused the same way (400 naming the parameter).
 */
export async function buildBulletin(deps: AppDeps, request: BulletinRequest, opts: BulletinOptions): Promise<Bulletin> {
  const now = deps.now();
  const period = namedPeriodOf(request.period, now);
  if (request.scope !== null && !parseScope(request.scope)) throw invalidParameter('scope', `"${request.scope.slice(0, 80)}" is not level:ID`);
  const read: ApiRead = apiReader(deps);
  const dataVersion = deps.db.version.current;
  const meta = await read<Meta>('/meta');
  const scopeText = request.scope ?? `${meta.top.level}:${meta.top.code}`;
  const q = { scope: scopeText, from: period.from, to: period.to };
  const summary = await read<Summary>('/stats/summary', q);
  const scope = { level: summary.scope.level, code: summary.scope.id, name: summary.scope.name };
  const child = scope.level === 'site' ? null : levelBelow(scope.level);

  const [units, departments, categories, sites, oldest, pairs] = await Promise.all([
    child ? childUnits(read, q, child) : null,
    departmentTable(read, q, meta),
    categoryRows(read, q, summary),
    siteRows(read, q),
    oldestOverdue(read, scopeText, now),
    read<{ pairs: { issueId: string; categoryName: string | null; category: string; address: string | null; closedAt: string | null; before: ApiPhoto; after: ApiPhoto }[] }>(
      '/photos', { ...q, pairs: '1', limit: PHOTO_PAIRS },
    ),
  ]);
  const heat = units?.features.length ? await heatOf(read, q, units.features) : null;
  const worstOpen = await worstOpenPhotos(read, oldest.slice(0, PHOTO_PAIRS));

  const headline = headlineOf(summary);
  const photos = {
    pairs: pairs.pairs.map((p): PhotoCase => ({
      issueId: p.issueId, category: p.categoryName ?? p.category, place: p.address ?? '', closedAt: p.closedAt,
      before: photoRef(p.before), after: photoRef(p.after),
    })),
    worstOpen,
  };
  const siteTypes = siteTypeRows(sites);
  const placeNames = regionNames(meta.regions);
  const worstSites = sites
    .filter((s) => num(s.overdue) > 0)
    .sort((a, b) => num(b.overdue) - num(a.overdue) || b.longOverdue - a.longOverdue || (a.id < b.id ? -1 : 1))
    .slice(0, WORST_SITES)
    .map((s): SiteRow => ({
      id: s.id, name: s.name, typeName: s.typeName, place: (s.street && placeNames.get(s.street)) ?? s.street ?? '', accountable: s.unit, status: s.status,
      overdue: num(s.overdue), longOverdue: s.longOverdue,
    }));

  const maps = {
    score: units?.features.length ? await drawScoreMap(units.features, `${scope.name}各${LEVEL_LABEL[child!]}综合得分`) : null,
    heat: heat && units ? await drawHeatMap(heat, units.features, `${scope.name}${period.label}上报问题分布`) : null,
  };

  const asOf = now.toISOString();
  // Inclusive days to half-open instants, as every API route reads from/to.
  const bounds = periodOf(period);
  const bulletinBase = {
    number: null, scope: { level: scope.level, code: scope.code, name: scope.name }, issuer: meta.top.name, period: {
      kind: period.kind, text: period.text, label: period.label, from: bounds.start!.toISOString(), to: bounds.end!.toISOString(),
    },
    compared: {
      previous: summary.previous ? { label: `${summary.previous.period.from}至${summary.previous.period.to}`, asOf: summary.previous.asOf } : null,
      lastYear: summary.lastYear ? { label: `${summary.lastYear.period.from ?? ''}至${summary.lastYear.period.to ?? ''}`, asOf: summary.lastYear.asOf } : null,
    },
    asOf, dataVersion, headline, units: units?.table ?? null, departments, categories, siteTypes, worstSites,
    oldestOverdue: oldest, maps, photos, definitions: DEFINITIONS,
  } satisfies Omit<Bulletin, 'title' | 'text'>;

  const { title, text } = await fillTemplate(opts.templateDir, bulletinBase, now);
  return { title, ...bulletinBase, text };
}

/** The units one level down with their KPIs, shapes and ranks. */
async function childUnits(read: ApiRead, q: Record<string, string>, level: ScopeLevel) {
  const path = level === 'grid' ? '/grids' : '/regions';
  const [fc, ranking] = await Promise.all([
    read<{ features: Feature<UnitProps>[] }>(path, { ...q, ...(level === 'grid' ? {} : { level }), simplify: 20 }),
    read<Ranking>('/stats/ranking', { ...q, level, n: 100 }),
  ]);
  const table = unitTable(level, fc.features.map((f) => ({ code: f.properties.code, name: f.properties.name, kpis: f.properties })), ranking);
  const features: MapFeature[] = fc.features.filter((f) => f.geometry).map((f) => ({
    code: f.properties.code, name: f.properties.name, score: rate(f.properties.score), geometry: f.geometry!,
  }));
  return { table, features };
}

/** 区直单位 when the data has departments: their breakdown and ranking. */
async function departmentTable(read: ApiRead, q: Record<string, string>, meta: Meta): Promise<UnitTable | null> {
  if (!meta.departments?.length) return null;
  const [breakdown, ranking] = await Promise.all([
    read<Breakdown>('/stats/breakdown', { ...q, by: 'department' }),
    read<Ranking>('/stats/ranking', { ...q, level: 'department', n: 100 }),
  ]);
  const kpis = new Map(breakdown.rows.map((r) => [r.key, r.kpis]));
  // Street offices answer for their cases as streets, so the 区直单位 table leaves them out, as the ranking does.
  const ranked = meta.departments.filter((d) => d.kind !== 'street-office');
  return unitTable('department', ranked.map((d) => ({ code: d.code, name: d.name, kpis: kpis.get(d.code) ?? {} })), ranking);
}

/** 大类 with their reports and the change against the summary's 环比 period. */
async function categoryRows(read: ApiRead, q: Record<string, string>, summary: Summary): Promise<CategoryRow[]> {
  const now = await read<Breakdown>('/stats/breakdown', { ...q, by: 'category', level: '1' });
  // Reports of the previous period do not depend on the moment they are judged at: every one of
  // them was in before that period ended.
  const before = summary.previous
    ? await read<Breakdown>('/stats/breakdown', { ...q, from: summary.previous.period.from, to: summary.previous.period.to, by: 'category', level: '1' })
    : null;
  const previous = new Map(before?.rows.map((r) => [r.key, num(r.kpis.reported)]) ?? []);
  return now.rows
    .filter((r) => num(r.kpis.reported) > 0)
    .map((r) => {
      const prev = before ? (previous.get(r.key) ?? 0) : null;
      const reported = num(r.kpis.reported);
      return {
        code: r.key ?? '', name: r.name, reported, previousReported: prev,
        changePct: prev === null ? null : pct(reported, prev),
        overdue: num(r.kpis.overdue),
      };
    });
}

async function siteRows(read: ApiRead, q: Record<string, string>): Promise<SiteProps[]> {
  const fc = await read<{ features: Feature<SiteProps>[] }>('/sites', { ...q, geometry: '0' });
  return fc.features.map((f) => f.properties);
}

/** Key-site types with the count of sites in each light. */
function siteTypeRows(sites: SiteProps[]): SiteTypeRow[] {
  const byType = new Map<string, SiteTypeRow>();
  for (const s of sites) {
    const row = byType.get(s.type) ?? { type: s.type, name: s.typeName, sites: 0, red: 0, amber: 0, green: 0, open: 0, overdue: 0 };
    row.sites += 1;
    row[s.status] += 1;
    row.open += s.openCount;
    row.overdue += num(s.overdue);
    byType.set(s.type, row);
  }
  return [...byType.values()].sort((a, b) => b.red - a.red || b.amber - a.amber || (a.type < b.type ? -1 : 1));
}

/** The oldest overdue cases of the whole backlog (whatever the period, as the overdue list). */
async function oldestOverdue(read: ApiRead, scope: string, now: Date): Promise<OverdueCase[]> {
  const page = await read<{ items: IssueItem[] }>('/issues', { scope, overdue: '1', sort: 'deadline', limit: OLDEST_OVERDUE });
  return page.items.map((i) => ({
    id: i.id,
    unit: [i.street?.name, i.community?.name].filter(Boolean).join(' '),
    category: i.categoryName ?? i.category,
    address: i.address,
    reportedAt: i.reportedAt,
    deadline: i.deadline ?? '',
    overdueFor: i.deadline ? overdueFor(i.deadline, now.getTime()) : { unit: 'hours', n: 0 },
    grid: i.grid?.name ?? null,
    inspector: i.grid?.inspector ?? null,
  }));
}

/** Photos of the worst open cases, when they have any. */
async function worstOpenPhotos(read: ApiRead, cases: OverdueCase[]): Promise<PhotoCase[]> {
  const details = await Promise.all(cases.map((c) => read<{ photos?: ApiPhoto[] }>(`/issues/${encodeURIComponent(c.id)}`)));
  return cases.flatMap((c, i) => {
    const photos = details[i].photos ?? [];
    const before = photos.find((p) => p.kind === 'before') ?? photos[0];
    return before ? [{ issueId: c.id, category: c.category, place: c.address ?? c.unit, closedAt: null, before: photoRef(before), after: null }] : [];
  });
}

/** The period's heat bins over the units' extent, at the zoom giving about {@link HEAT_COLUMNS} bins across. */
async function heatOf(read: ApiRead, q: Record<string, string>, outlines: readonly MapFeature[]): Promise<HeatPoint[]> {
  const bbox = extentOf(outlines);
  let zoom = 18;
  while (zoom > 6 && binGrid(bbox, zoom, CELL_DEFAULT).cols > HEAT_COLUMNS) zoom--;
  const heat = await read<{ count: number[]; lon: number[]; lat: number[] }>('/heat', { ...q, bbox: bbox.join(','), zoom, centers: '1' });
  return heat.count.map((count, i) => ({ lon: heat.lon[i], lat: heat.lat[i], count }));
}

/** The lon/lat extent of the outlines. */
function extentOf(features: readonly MapFeature[]): Bbox {
  return boxOf(features.flatMap((f) => polygonsOf(f.geometry).flat(2)) as [number, number][]);
}

/** Fills the template: sections without data are left out and the headed ones numbered 一、二、… */
async function fillTemplate(dir: string, b: Omit<Bulletin, 'title' | 'text'>, now: Date): Promise<{ title: string; text: Bulletin['text'] }> {
  const file = join(dir, TEMPLATE_FILE);
  const template = parseTemplate(await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new TemplateError(file, `cannot be read (${err.code ?? err.message})`);
  }), file);
  const values = templateValues(b, now);
  const empty: Record<string, boolean> = {
    ranking: !b.units || b.units.red.length === 0,
    units: !b.units,
    departments: !b.departments,
    sites: b.siteTypes.length === 0,
    photos: b.photos.pairs.length === 0 && b.photos.worstOpen.length === 0,
  };
  let n = 0;
  const text = template.sections
    .filter((s) => !empty[s.name])
    .map((s) => ({
      section: s.name,
      heading: s.heading === null ? null : `${CHINESE_NUMERALS[n++] ?? n}、${fillText(s.heading, values, file)}`,
      paragraphs: s.paragraphs.map((p) => ({ text: fillText(p, values, file) })),
    }));
  return { title: fillText(template.title, values, file), text };
}

const dayText = (iso: string) => dayLabel(shanghaiDate(new Date(iso)), true);

const names = (rows: { name: string }[]) => rows.map((r) => r.name).join('、');

/** The values a template may use, by placeholder name. */
export function templateValues(b: Omit<Bulletin, 'title' | 'text'>, now: Date): Record<string, string> {
  const v: Record<string, string> = {
    'scope.name': b.scope.name,
    'issuer.name': b.issuer,
    'scope.level': LEVEL_LABEL[b.scope.level],
    'period.label': b.period.label,
    asOf: `${dayText(b.asOf)}${shanghaiClock(Date.parse(b.asOf)).time.slice(0, 5)}`,
    issuedOn: dayText(now.toISOString()),
    'units.levelLabel': b.units?.levelLabel ?? '单位',
  };
  for (const h of b.headline) {
    v[`headline.${h.key}`] = figureText(h.value, h.unit);
    v[`change.previous.${h.key}`] = changeText(h.changePrevious, '无可比数据');
    v[`change.lastYear.${h.key}`] = changeText(h.changeLastYear, '无可比数据');
  }
  const u = b.units;
  v['ranking.summary'] = u && u.red.length
    ? `按综合得分排名，${u.levelLabel}红榜：${u.red.map((r) => `${r.name}（${figureText(r.score, 'score')}分）`).join('、')}；`
      + `黑榜：${u.black.map((r) => `${r.name}（${figureText(r.score, 'score')}分，排名${rankChangeText(r.rankChange)}）`).join('、')}。`
      + (u.nothingDue.length ? `${names(u.nothingDue)}期内无应结案件，不参与排名。` : '')
    : '本期无可排名单位。';
  const d = b.departments;
  v['departments.summary'] = d && d.red.length
    ? `区直单位红榜：${names(d.red)}；黑榜：${names(d.black)}。`
    : '本期区直单位无应结案件。';
  v['categories.top'] = b.categories.length
    ? b.categories.slice(0, 3).map((c) => `${c.name}（${c.reported}件）`).join('、')
    : '（本期无上报）';
  const red = b.siteTypes.reduce((s, t) => s + t.red, 0);
  const amber = b.siteTypes.reduce((s, t) => s + t.amber, 0);
  v['sites.summary'] = `${b.siteTypes.reduce((s, t) => s + t.sites, 0)}个重点点位中，红灯${red}个、黄灯${amber}个`
    + (b.worstSites.length ? `；超期未结最多的是${b.worstSites.slice(0, 3).map((s) => `${s.name}（${s.overdue}件）`).join('、')}。` : '。');
  v['overdue.summary'] = b.oldestOverdue.length
    ? `截至${v.asOf}，超期未结${v['headline.overdue']}件，其中超期最久的${b.oldestOverdue.length}件见下表，请责任单位限期整改到位。`
    : `截至${v.asOf}，无超期未结案件。`;
  v['photos.summary'] = b.photos.pairs.length
    ? `选取本期已结案件整改前后对比照片${b.photos.pairs.length}组。`
    : '本期超期未结案件现场照片如下。';
  return v;
}
