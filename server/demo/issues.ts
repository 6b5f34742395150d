/**
 * Streams the demo's issues to CSV, day by day in time order: each issue is found either at a key
 * site (inside its zone) or in the background in proportion to where people live, gets a category
 * from what is typical there and a workflow cut at `now`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { DAY, HOUR } from '../domain/time.ts';
import { dayStart, formatLocal, toLocal } from './clock.ts';
import { siteDepartment } from './departments.ts';
import { contains, offsetMetres, prepare, randomPointIn, type PreparedArea } from './geometry.ts';
import type { Grid } from './grids.ts';
import { CATEGORY_MIX, HOURS, RAINY_BOOST, SOURCE_SHARES, dayWeight, hourProfileFor, isRainyMonth, type Origin, type Source } from './issue-mix.ts';
import { planLifecycle, type Lifecycle, type Status } from './lifecycle.ts';
import { fillNumbers, personName, type NameData } from './names.ts';
import type { Place } from './places.ts';
import { WeightedTable, type Rng } from './rng.ts';
import { siteAnchor, type Site } from './sites.ts';
import type { Category } from './taxonomy.ts';

/** Share of issues found at key sites; the rest is background spread over the grids. */
const AT_SITES = 0.6;

const ISSUE_HEADER = 'id,category,source,status,reported_at,dispatched_at,deadline,closed_at,immediate,rework_count,description,address,lon,lat,dispatcher,closer,department';
/** People on duty at the district's command center (指挥中心), who dispatch and close cases. */
const COMMAND_CENTER_STAFF = 8;

/** What the issue generator draws from. */
export interface IssueWorld {
  sites: readonly Site[];
  grids: readonly Grid[];
  places: readonly Place[];
  categories: readonly Category[];
  names: NameData;
  /** Starts every issue id ('GD' for 官渡区, 'KM' for the city). */
  idPrefix: string;
}

/** Tallies of what was written, for the CLI summary and tests. */
export interface IssueStats {
  total: number;
  byStatus: Record<Status, number>;
  immediate: number;
  closedLate: number;
  openOverdue: number;
  reworked: number;
  atSites: number;
}

interface Draft {
  reported: number;
  line: string;
}

const csvField = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** '乱张贴小广告（牛皮癣）' → '乱张贴小广告' for running text. */
const plainName = (c: Category) => c.name.replace(/（.*?）/g, '');

/** Per-origin category tables, normal and rainy season, checked against the taxonomy. */
function categoryTables(categories: readonly Category[]): Record<Origin, [WeightedTable<Category>, WeightedTable<Category>]> {
  const byCode = new Map(categories.filter((c) => c.parent !== null).map((c) => [c.code, c]));
  const out = {} as Record<Origin, [WeightedTable<Category>, WeightedTable<Category>]>;
  for (const [origin, mix] of Object.entries(CATEGORY_MIX) as [Origin, Record<string, number>][]) {
    const cats = Object.keys(mix).map((code) => {
      const c = byCode.get(code);
      if (!c) throw new Error(`issue mix for ${origin} uses ${code}, which is not a 小类 in the taxonomy`);
      return c;
    });
    const weights = cats.map((c) => mix[c.code]);
    out[origin] = [new WeightedTable(cats, weights), new WeightedTable(cats, weights.map((w, i) => w * (RAINY_BOOST[cats[i].code] ?? 1)))];
  }
  return out;
}

/** Issue coordinates are written with 6 decimals (≈ 0.1 m); rounding must not push a point out of its area. */
const rounded = (p: readonly number[]): [number, number] => [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6];
const insideRounded = (area: PreparedArea, p: readonly number[]) => {
  const q = rounded(p);
  return contains(area, q[0], q[1]) ? q : null;
};

/** A sampler of issue locations inside a site's zone (buffer around points and lines, the polygon itself). */
function zoneSampler(site: Site): (rng: Rng) => [number, number] {
  const g = site.geometry;
  const r = site.buffer_m ?? 30;
  if (g.type === 'Point') {
    const [x, y] = g.coordinates;
    return (rng) => {
      const d = r * 0.85 * Math.sqrt(rng.next());
      const a = rng.range(0, 2 * Math.PI);
      return offsetMetres(x, y, d * Math.cos(a), d * Math.sin(a));
    };
  }
  if (g.type === 'LineString') {
    const pts = g.coordinates;
    const lens = new WeightedTable(
      pts.slice(1).map((_, i) => i),
      pts.slice(1).map((p, i) => Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1])),
    );
    return (rng) => {
      const i = lens.draw(rng);
      const t = rng.next();
      const [ax, ay] = pts[i];
      const [bx, by] = pts[i + 1];
      const side = Math.max(-0.8, Math.min(0.8, rng.normal() / 3)) * r;
      const a = Math.atan2(by - ay, bx - ax) + Math.PI / 2;
      return offsetMetres(ax + (bx - ax) * t, ay + (by - ay) * t, side * Math.cos(a), side * Math.sin(a));
    };
  }
  const area = prepare(g);
  const fallback = siteAnchor(site);
  return (rng) => randomPointIn(rng, area, 50) ?? [fallback[0], fallback[1]];
}

/** Lookup tables built once per run. */
interface Tables {
  categories: Record<Origin, [WeightedTable<Category>, WeightedTable<Category>]>;
  sources: WeightedTable<Source>;
  hours: Record<keyof typeof HOURS, WeightedTable<number>>;
  sites: WeightedTable<Site>;
  zones: ((rng: Rng) => [number, number])[];
  grids: WeightedTable<Grid>;
  gridAreas: PreparedArea[];
  places: Map<string, Place>;
}

function buildTables(world: IssueWorld): Tables {
  return {
    categories: categoryTables(world.categories),
    sources: new WeightedTable(Object.keys(SOURCE_SHARES) as Source[], Object.values(SOURCE_SHARES)),
    hours: Object.fromEntries(Object.entries(HOURS).map(([k, w]) => [k, new WeightedTable(w.map((_, h) => h), w)])) as Tables['hours'],
    sites: new WeightedTable(world.sites, world.sites.map((s) => s.attraction)),
    zones: world.sites.map(zoneSampler),
    grids: new WeightedTable(world.grids, world.grids.map((g) => g.households)),
    gridAreas: world.grids.map((g) => prepare(g.geometry)),
    places: new Map(world.places.map((p) => [p.community.code, p])),
  };
}

/** Where an issue is, and how it is described there. */
interface Spot {
  at: [number, number];
  description: string;
  address: string;
}

/** A location in the site's zone (inside its community) and a description naming the site. */
function siteSpot(r: Rng, site: Site, zone: (rng: Rng) => [number, number], category: Category, names: NameData): Spot {
  let at: [number, number] | null = null;
  for (let t = 0; t < 8 && !at; t++) at = insideRounded(site.place.area, zone(r));
  const spot = fillNumbers(r.pick(names.spots[site.type]), r);
  const what = plainName(category);
  return {
    at: at ?? rounded(siteAnchor(site)),
    // Skip the spot when the category already names it ('消防通道' + '消防通道占用').
    description: site.name + (what.includes(spot.slice(-2)) ? '' : spot) + what,
    address: `昆明市${site.place.district.name}${site.place.street.name}${site.place.community.name}${site.name}`,
  };
}

/** A uniform location in a grid and a street address on one of its community's roads. */
function backgroundSpot(r: Rng, grid: Grid, area: PreparedArea, place: Place, category: Category): Spot {
  let at: [number, number] | null = null;
  while (!at) {
    const p = randomPointIn(r, area, 1000);
    if (!p) throw new Error(`grid ${grid.code} is too thin to sample`);
    at = insideRounded(area, p);
  }
  const road = r.pick(place.roads);
  const no = 1 + r.int(300);
  return { at, description: `${road}${no}号附近${plainName(category)}`, address: `昆明市${place.district.name}${place.street.name}${road}${no}号` };
}

function tally(stats: IssueStats, life: Lifecycle, now: number, atSite: boolean): void {
  stats.total++;
  stats.byStatus[life.status]++;
  if (atSite) stats.atSites++;
  if (life.immediate) stats.immediate++;
  if (life.rework > 0) stats.reworked++;
  if (life.closed !== null && life.deadline !== null && life.closed > life.deadline) stats.closedLate++;
  const open = life.closed === null && life.status !== 'cancelled' && life.status !== 'deferred';
  if (open && life.deadline !== null && life.deadline < now) stats.openOverdue++;
}

const time = (t: number | null) => (t === null ? '' : formatLocal(t));

/** Issues per local day: seasonal/weekday weights with daily noise, then a multinomial draw. */
function issuesPerDay(count: number, firstDay: number, days: number, now: number, rng: Rng): Int32Array {
  const weights = Array.from({ length: days }, (_, d) => {
    const w = dayWeight(firstDay + d * DAY, d / days) * rng.logNormal(1, 0.12);
    // Today is only partly over.
    return d === days - 1 ? (w * (now - dayStart(now))) / DAY : w;
  });
  const table = new WeightedTable(weights.map((_, d) => d), weights);
  const perDay = new Int32Array(days);
  for (let i = 0; i < count; i++) perDay[table.drawIndex(rng)]++;
  return perDay;
}

/**
 * Writes `count` issues reported in the `years` before `now` to `path` as CSV (README's *Properties* columns
 * plus lon/lat), streaming one day at a time in report-time order; ids read the prefix + date + daily
 * sequence. Returns tallies of what was written.
 */
export async function writeIssues(
  path: string,
  world: IssueWorld,
  opts: { count: number; now: Date; rng: Rng; years?: number; onProgress?: (written: number) => void },
): Promise<IssueStats> {
  const now = toLocal(opts.now.getTime());
  const firstDay = dayStart(now) - (opts.years ?? 3) * 365 * DAY;
  const days = Math.round((dayStart(now) - firstDay) / DAY) + 1;
  const perDay = issuesPerDay(opts.count, firstDay, days, now, opts.rng.fork('days'));
  const t = buildTables(world);
  const r = opts.rng.fork('issues');
  // Own streams, so naming the staff leaves every other drawn value as it was.
  const staffNames = opts.rng.fork('staff');
  const staff = Array.from({ length: COMMAND_CENTER_STAFF }, () => personName(staffNames, world.names));
  const onDuty = opts.rng.fork('on-duty');
  const stats: IssueStats = {
    total: 0,
    byStatus: { reported: 0, opened: 0, dispatched: 0, handled: 0, verified: 0, closed: 0, cancelled: 0, deferred: 0 },
    immediate: 0,
    closedLate: 0,
    openOverdue: 0,
    reworked: 0,
    atSites: 0,
  };
  const out = createWriteStream(path, { encoding: 'utf8' });
  out.write(`${ISSUE_HEADER}\n`);

  for (let d = 0; d < days; d++) {
    const day = firstDay + d * DAY;
    const rainy = isRainyMonth(new Date(day).getUTCMonth() + 1) ? 1 : 0;
    const drafts: Draft[] = [];
    for (let k = 0; k < perDay[d]; k++) {
      const source = t.sources.draw(r);
      const siteIndex = r.chance(AT_SITES) ? t.sites.drawIndex(r) : -1;
      const site = siteIndex >= 0 ? world.sites[siteIndex] : null;
      const origin: Origin = site ? site.type : 'background';
      let reported = day + t.hours[hourProfileFor(source, origin)].draw(r) * HOUR + r.next() * HOUR;
      if (reported >= now) reported = day + r.next() * (now - day);
      reported = Math.floor(reported / 1000) * 1000;
      const category = t.categories[origin][rainy].draw(r);
      let spot: Spot;
      if (site) spot = siteSpot(r, site, t.zones[siteIndex], category, world.names);
      else {
        const g = t.grids.drawIndex(r);
        const grid = world.grids[g];
        spot = backgroundSpot(r, grid, t.gridAreas[g], t.places.get(grid.community)!, category);
      }
      const life = planLifecycle(r, reported, source, category, now);
      tally(stats, life, now, site !== null);
      const fields = [
        category.code,
        source,
        life.status,
        time(reported),
        time(life.dispatched),
        time(life.deadline),
        time(life.closed),
        String(life.immediate),
        String(life.rework),
        csvField(spot.description),
        csvField(spot.address),
        spot.at[0].toFixed(6),
        spot.at[1].toFixed(6),
        life.dispatched === null ? '' : onDuty.pick(staff),
        life.closed === null && life.status !== 'cancelled' && life.status !== 'deferred' ? '' : onDuty.pick(staff),
        siteDepartment(site?.type ?? null, category.code) ?? '',
      ];
      drafts.push({ reported, line: fields.join(',') });
    }
    drafts.sort((a, b) => a.reported - b.reported);
    const ymd = formatLocal(day).slice(0, 10).replace(/-/g, '');
    const chunk = drafts.map((x, i) => `${world.idPrefix}${ymd}${String(i + 1).padStart(5, '0')},${x.line}\n`).join('');
    if (!out.write(chunk)) await once(out, 'drain');
    opts.onProgress?.(stats.total);
  }
  out.end();
  await once(out, 'finish');
  return stats;
}
