/**
 * What the load test asks for: a rotation of the reads a dashboard makes (summary, ranking,
 * trend, breakdown, map layers, issue list, heat) over the real top region (a city or a district),
 * streets and period of the data, and issue reports at random places in its districts' box.
 */
import { DAY, shanghaiDate } from '../../server/domain/time.ts';

/** One request to make. `label` groups latencies (the path without varying values). */
export type Target = { label: string; url: string; init: RequestInit };

type RegionNode = { code: string; level: string; children: RegionNode[] };
type Meta = {
  categories: { code: string; children: { code: string }[] }[];
  regions: RegionNode[];
  dataRange: { last: string | null };
};

/** Fetches what the targets need from the server and returns the two target makers. */
export async function plan(url: string, adminToken: string): Promise<{ read: (i: number) => Target; heavy: (i: number) => Target; ingest: (i: number) => Target }> {
  const meta = (await (await fetch(`${url}/api/meta`)).json()) as Meta;
  const every = (nodes: RegionNode[]): RegionNode[] => nodes.flatMap((n) => [n, ...every(n.children)]);
  const regions = every(meta.regions);
  const streets = regions.filter((r) => r.level === 'street').map((r) => r.code);
  const communities = regions.filter((r) => r.level === 'community').map((r) => r.code);
  if (!streets.length) throw new Error('the server has no streets: load it with data first (npm run demo, or an import)');
  const leaves = meta.categories.flatMap((c) => c.children.map((x) => x.code));
  const bbox = await districtBbox(url);
  const last = meta.dataRange.last ? new Date(meta.dataRange.last) : new Date();
  const to = shanghaiDate(last);
  const from = shanghaiDate(last.getTime() - 29 * DAY);
  const period = `from=${from}&to=${to}`;
  const centre = [(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2];
  const box = (f: number) => [centre[0]! - (bbox[2] - bbox[0]) * f, centre[1]! - (bbox[3] - bbox[1]) * f, centre[0]! + (bbox[2] - bbox[0]) * f, centre[1]! + (bbox[3] - bbox[1]) * f].map((v) => v.toFixed(5)).join(',');

  const reads: ((i: number) => [string, string])[] = readsOver(period);
  // Heavy readers never hit the response cache: each request asks for a period of its own (30–89
  // days ending up to two years back), over the aggregates a dashboard's first paint computes.
  const heavyReads = (i: number): [string, string] => {
    const end = last.getTime() - (i % 730) * DAY;
    const days = 30 + (Math.floor(i / 730) % 60);
    const own = `from=${shanghaiDate(end - (days - 1) * DAY)}&to=${shanghaiDate(end)}`;
    const heavy = heavyOver(own);
    return heavy[i % heavy.length]!;
  };

  function readsOver(period: string): ((i: number) => [string, string])[] {
    return [
      () => ['summary', `/api/stats/summary?${period}`],
      (i) => ['summary street', `/api/stats/summary?scope=street:${streets[i % streets.length]}&${period}`],
      () => ['ranking street', `/api/stats/ranking?level=street&${period}`],
      (i) => ['ranking community', `/api/stats/ranking?scope=street:${streets[i % streets.length]}&level=community&${period}`],
      () => ['timeseries', `/api/stats/timeseries?${period}&interval=day`],
      () => ['breakdown', `/api/stats/breakdown?by=category&${period}`],
      () => ['regions street', `/api/regions?level=street&${period}`],
      (i) => ['grids community', `/api/grids?scope=community:${communities[i % communities.length]}&${period}`],
      () => ['issues', `/api/issues?limit=50&${period}`],
      (i) => ['issues community', `/api/issues?scope=community:${communities[(i * 7) % communities.length]}&limit=20`],
      () => ['heat', `/api/heat?zoom=13&bbox=${box(0.15)}&${period}`],
      () => ['sites market', `/api/sites?type=market&${period}&geometry=0`],
    ];
  }

  /** The aggregates a dashboard's first paint computes, the whole city's grid choropleth included. */
  function heavyOver(period: string): [string, string][] {
    return [
      ['summary', `/api/stats/summary?${period}`],
      ['ranking street', `/api/stats/ranking?level=street&${period}`],
      ['ranking grid', `/api/stats/ranking?level=grid&${period}`],
      ['timeseries', `/api/stats/timeseries?${period}&interval=day`],
      ['breakdown', `/api/stats/breakdown?by=category&${period}`],
      ['regions street', `/api/regions?level=street&${period}`],
      ['grids', `/api/grids?${period}`],
      ['heat', `/api/heat?zoom=13&bbox=${box(0.15)}&${period}`],
    ];
  }

  const operator = await issueOperatorToken(url, adminToken);
  const runId = Date.now().toString(36);
  return {
    read: (i) => {
      const [label, path] = reads[i % reads.length]!(Math.floor(i / reads.length));
      return { label, url: `${url}${path}`, init: {} };
    },
    heavy: (i) => {
      const [label, path] = heavyReads(i);
      return { label, url: `${url}${path}`, init: {} };
    },
    ingest: (i) => {
      // A deterministic scatter over the district's box; points outside every grid are kept and flagged.
      const u = ((i * 0.6180339887) % 1) * 0.8 + 0.1;
      const v = ((i * 0.7548776662) % 1) * 0.8 + 0.1;
      const body = {
        clientId: `load-${runId}-${i}`, category: leaves[i % leaves.length], source: 'patrol',
        lon: bbox[0] + (bbox[2] - bbox[0]) * u, lat: bbox[1] + (bbox[3] - bbox[1]) * v, description: '压力测试',
      };
      return { label: 'ingest', url: `${url}/api/issues`, init: { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${operator}` }, body: JSON.stringify(body) } };
    },
  };
}

async function districtBbox(url: string): Promise<[number, number, number, number]> {
  const fc = (await (await fetch(`${url}/api/regions?level=district`)).json()) as { features: { geometry: { coordinates: unknown } }[] };
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (v: unknown): void => {
    if (Array.isArray(v) && typeof v[0] === 'number') {
      b[0] = Math.min(b[0], v[0] as number); b[1] = Math.min(b[1], v[1] as number);
      b[2] = Math.max(b[2], v[0] as number); b[3] = Math.max(b[3], v[1] as number);
    } else if (Array.isArray(v)) v.forEach(walk);
  };
  for (const f of fc.features) walk(f.geometry.coordinates);
  if (!Number.isFinite(b[0])) throw new Error('the district has no outline');
  return b;
}

/** An operator token of its own, so ingests are checked and rate-limited like a patrol app's. */
async function issueOperatorToken(url: string, adminToken: string): Promise<string> {
  const res = await fetch(`${url}/api/users`, {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify({ name: 'load-test', role: 'operator', expires: '1d' }),
  });
  if (!res.ok) throw new Error(`could not issue the load test's operator token: HTTP ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}
