/**
 * What the measured requests ask for: one period, the district, the busiest street and the busiest
 * market of that period, and map viewports. Chosen from the data so every size of dataset gets
 * comparable, non-empty requests; hot spots because that is where leaders drill in.
 */
import type { Database } from '../../server/db/database.ts';
import { topRegion } from '../../server/kpi/resolve.ts';
import { sqlTimestamp } from '../../server/db/sql-time.ts';
import { DAY, shanghaiDate, shanghaiMidnight } from '../../server/domain/time.ts';
import { lonLatToWorldPixel, worldPixelToLonLat } from '../../server/domain/mercator.ts';
import { lastYearPeriod, previousPeriod } from '../../server/kpi/timeseries.ts';

/** `[minLon, minLat, maxLon, maxLat]`. */
export type Bbox = [number, number, number, number];

/** The zooms the heat figures use: whole district, a few streets, a few blocks. */
export const HEAT_ZOOMS = [11, 13, 15] as const;
export type HeatZoom = (typeof HEAT_ZOOMS)[number];

/** Heat bin edge in pixels (the server's default bin). */
export const HEAT_CELL_PX = 8;

/** The smallest screen the UI supports; heat requests cover one such viewport. */
export const VIEWPORT = { width: 1366, height: 768 } as const;

/** A period in Asia/Shanghai days (`to` inclusive) and the same as UTC instants for SQL. */
export interface Period {
  from: string;
  to: string;
  /** Midnight Shanghai of `from`, as a UTC instant. */
  start: Date;
  /** Midnight Shanghai after `to`. */
  end: Date;
}

/** Everything the operations need to know about the data. */
export interface BenchContext {
  now: Date;
  period: Period;
  previous: Period;
  lastYear: Period;
  /** The top region (the city, or the one district): the default scope of the measured requests. */
  top: { level: 'city' | 'district'; code: string };
  /** The busiest street, with its district (the parent region). */
  street: { code: string; name: string; issues: number; district: string | null };
  site: { id: string; name: string; issues: number; lon: number; lat: number };
  viewports: Record<HeatZoom, Bbox>;
}

/** The district whose plan the planner is measured on in a city (the busiest street's); none in a one-district deployment. */
export function planDistrictOf(ctx: Pick<BenchContext, 'top' | 'street'>): string | null {
  return ctx.top.level === 'city' ? ctx.street.district : null;
}

/** A period of whole Shanghai days from `from` to `to` inclusive. */
export function periodOf(from: string, to: string): Period {
  const start = shanghaiMidnight(from);
  const end = new Date(shanghaiMidnight(to).getTime() + DAY);
  return { from, to, start, end };
}

/** The `days` whole days before the day of `now` (dashboards default to a recent window ending yesterday). */
export function recentPeriod(now: Date, days: number): Period {
  const today = Date.parse(`${shanghaiDate(now)}T00:00:00Z`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return periodOf(day(today - days * DAY), day(today - DAY));
}

/** A period of the analytics as the bench's whole days. */
const asDays = (p: { start: Date; end: Date }): Period => periodOf(shanghaiDate(p.start), shanghaiDate(new Date(p.end.getTime() - DAY)));

/** The period the server compares with (环比), by the server's own rule. */
export function previousPeriodOf(p: Period): Period {
  return asDays(previousPeriod(p));
}

/** The same days one year earlier (同比), by the server's own rule. */
export function lastYearOf(p: Period): Period {
  return asDays(lastYearPeriod(p));
}

/** The bbox a `width`×`height` px map shows at `zoom` around a centre. */
export function viewportBbox(lon: number, lat: number, zoom: number, width: number = VIEWPORT.width, height: number = VIEWPORT.height): Bbox {
  const [x, y] = lonLatToWorldPixel(lon, lat, zoom);
  const [minLon, maxLat] = worldPixelToLonLat(x - width / 2, y - height / 2, zoom);
  const [maxLon, minLat] = worldPixelToLonLat(x + width / 2, y + height / 2, zoom);
  return [minLon, minLat, maxLon, maxLat];
}


/**
 * Picks the requests' subjects from the imported data: a 90-day period ending the day before the
 * dataset's "now", the street and the market with most issues in it, viewports at the top region's
 * centre (z11) and at that market (z13, z15).
 */
export async function pickContext(db: Database, now: Date): Promise<BenchContext> {
  const period = recentPeriod(now, 90);
  const p = { start: sqlTimestamp(period.start), end: sqlTimestamp(period.end) };
  const top = await topRegion(db);
  const centre = await db.one<{ cx: number; cy: number }>(
    `SELECT (xmin + xmax) / 2 AS cx, (ymin + ymax) / 2 AS cy FROM regions WHERE code = $code`, { code: top.code },
  );
  if (!centre) throw new Error('bench: the database has no district');
  const street = await db.one<{ code: string; name: string; district: string | null; n: number }>(
    `SELECT i.street AS code, r.name, r.parent AS district, count(*) AS n FROM issues i JOIN regions r ON r.code = i.street
     WHERE i.reported_at >= $start::TIMESTAMP AND i.reported_at < $end::TIMESTAMP GROUP BY ALL ORDER BY n DESC, code LIMIT 1`, p,
  );
  const site = await db.one<{ id: string; name: string; n: number; lon: number; lat: number }>(
    `WITH hits AS (SELECT unnest(site_ids) AS id FROM issues WHERE reported_at >= $start::TIMESTAMP AND reported_at < $end::TIMESTAMP)
     SELECT id, name, lon, lat, n FROM (
       SELECT s.id, s.name, s.type = 'market' AS market, s.lon, s.lat, count(*) AS n FROM hits h JOIN sites s USING (id) GROUP BY ALL
     ) ORDER BY market DESC, n DESC, id LIMIT 1`, p,
  );
  if (!street || !site) throw new Error('bench: no issues in the benchmark period; is the dataset empty?');
  return {
    now,
    period,
    previous: previousPeriodOf(period),
    lastYear: lastYearOf(period),
    top: { level: top.level, code: top.code },
    street: { code: street.code, name: street.name, issues: street.n, district: street.district },
    site: { id: site.id, name: site.name, issues: site.n, lon: site.lon, lat: site.lat },
    viewports: {
      11: viewportBbox(centre.cx, centre.cy, 11),
      13: viewportBbox(site.lon, site.lat, 13),
      15: viewportBbox(site.lon, site.lat, 15),
    },
  };
}
