/**
 * The bulletin says what the API says: every figure of the content equals the read API's answer for
 * the same scope and period (the DOCX/XLSX tests check their formats against the same content), the
 * print view carries those numbers, and bad requests are refused naming the parameter.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBulletin } from '../../../server/bulletin/content.ts';
import { figureText } from '../../../server/bulletin/format.ts';
import { bulletinTables } from '../../../server/bulletin/layout.ts';
import type { Bulletin } from '../../../server/bulletin/model.ts';
import { PdfPrinter } from '../../../server/bulletin/pdf.ts';
import { lastFullMonth } from '../../../server/domain/periods.ts';
import type { TestApp } from '../../helpers/app.ts';
import { CHROMIUM_PATH } from '../../helpers/browser.ts';
import { errorOf, extendedCityApp } from '../stats/city.ts';
import { departmentCityApp } from '../departments/city.ts';

const TEMPLATES = 'data/bulletin';
/** FIXTURE_NOW is 2026-11-25 12:00 Shanghai: November runs to today. */
const PERIOD = { from: '2026-11-01', to: '2026-11-25' };

let t: TestApp;
let b: Bulletin;
const get = async <T>(url: string): Promise<T> => {
  const res = await t.app.request(url);
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  t = await extendedCityApp();
  b = await buildBulletin(t.deps, { scope: null, period: '2026-11' }, { templateDir: TEMPLATES });
});
afterAll(() => t.cleanup());

describe('the bulletin content equals the API', () => {
  it('covers the top region and the month up to today', () => {
    expect(b.scope).toEqual({ level: 'district', code: '530111', name: '官渡区' });
    expect(b.period).toMatchObject({ kind: 'month', label: '2026年11月（截至11月25日）' });
  });

  it('headline figures with 环比 and 同比 are the summary answer', async () => {
    const s = await get<{ kpis: Record<string, number | null>; previous: { kpis: Record<string, number | null> }; change: { previous: Record<string, number | null> } }>(
      `/api/stats/summary?from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    for (const h of b.headline) {
      expect(h.value, h.label).toBe(s.kpis[h.key]);
      expect(h.previous, h.label).toBe(s.previous.kpis[h.key]);
    }
    expect(b.headline.find((h) => h.key === 'onTimeRate')!.changePrevious).toEqual({ value: s.change.previous.onTimeRatePts, kind: 'pts' });
    expect(b.headline.find((h) => h.key === 'reported')!.changePrevious).toEqual({ value: s.change.previous.reportedPct, kind: 'pct' });
  });

  it('the red and black lists and every street are the ranking and the regions answers', async () => {
    const r = await get<{ red: { code: string; rank: number; score: number; rankChange: number | null }[]; unranked: number }>(
      `/api/stats/ranking?level=street&n=100&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    const regions = await get<{ features: { properties: { code: string; reported: number; overdue: number; score: number | null } }[] }>(
      `/api/regions?level=street&geometry=0&from=${PERIOD.from}&to=${PERIOD.to}`,
    );
    const units = b.units!;
    expect(units.rows.map((u) => u.code).sort()).toEqual(regions.features.map((f) => f.properties.code).sort());
    for (const f of regions.features) {
      const row = units.rows.find((u) => u.code === f.properties.code)!;
      expect([row.reported, row.overdue, row.score]).toEqual([f.properties.reported, f.properties.overdue, f.properties.score]);
    }
    for (const e of r.red) expect(units.rows.find((u) => u.code === e.code)).toMatchObject({ rank: e.rank, score: e.score, rankChange: e.rankChange });
    expect(units.red[0].rank).toBe(1);
    // 测试街道 has nothing due: listed as such, never ranked.
    expect(units.nothingDue.map((u) => u.name)).toEqual(['测试街道']);
    expect(units.nothingDue.length).toBe(r.unranked);
  });

  it('categories, key sites and the oldest overdue cases are the breakdown, site and issue answers', async () => {
    const cats = await get<{ rows: { key: string; kpis: { reported: number } }[] }>(`/api/stats/breakdown?by=category&level=1&from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(b.categories.map((c) => [c.code, c.reported])).toEqual(cats.rows.filter((r) => r.kpis.reported > 0).map((r) => [r.key, r.kpis.reported]));
    const sites = await get<{ features: unknown[] }>(`/api/sites?geometry=0&from=${PERIOD.from}&to=${PERIOD.to}`);
    expect(b.siteTypes.reduce((n, s) => n + s.sites, 0)).toBe(sites.features.length);
    const overdue = await get<{ items: { id: string }[] }>('/api/issues?overdue=1&sort=deadline&limit=10');
    expect(b.oldestOverdue.map((c) => c.id)).toEqual(overdue.items.map((i) => i.id));
    expect(b.oldestOverdue[0].overdueFor.unit).toBe('days');
  });

  it('draws both maps as PNG and fills the template without a placeholder left', () => {
    for (const m of [b.maps.score!, b.maps.heat!]) expect(Buffer.from(m.png, 'base64').subarray(1, 4).toString()).toBe('PNG');
    const text = JSON.stringify(b.text);
    expect(text).not.toContain('{{');
    expect(text).toContain(`上报问题${b.headline[0].value}件`);
    // Sections without data are left out and the rest numbered in order.
    expect(b.text.filter((s) => s.heading).map((s) => s.heading!.split('、')[0])).toEqual(['一', '二', '三', '四', '五', '六', '七']);
  });

  it('every table cell is written by the one formatter', () => {
    const headline = bulletinTables(b).find((x) => x.sheet === '主要指标')!;
    const rate = b.headline.find((h) => h.key === 'onTimeRate')!;
    expect(headline.rows.find((r) => r[0].text === '按期结案率')![1]).toEqual({ text: figureText(rate.value, 'rate'), value: rate.value, unit: 'rate' });
  });
});

describe('a unit with nothing due', () => {
  it('has no score and no rates, and says so', async () => {
    const s = await buildBulletin(t.deps, { scope: 'street:530111003', period: '2026-11' }, { templateDir: TEMPLATES });
    expect(s.scope.name).toBe('测试街道');
    // The district's office issues it.
    expect(s.text.find((x) => x.section === 'signature')!.paragraphs[0].text).toBe('官渡区创建全国文明城市工作指挥部办公室');
    expect(s.headline.find((h) => h.key === 'due')!.value).toBe(0);
    expect(s.headline.find((h) => h.key === 'score')!.value).toBeNull();
    expect(s.units!.red).toEqual([]);
    expect(s.text.some((x) => x.section === 'ranking')).toBe(false);
  });
});

describe('GET /api/bulletin', () => {
  it('refuses a future period, one over a year, a bad period and an unknown scope, naming the parameter', async () => {
    for (const [url, parameter] of [
      ['/api/bulletin?period=2027-01', 'period'],
      ['/api/bulletin?period=2025-01-01..2026-06-30', 'period'],
      ['/api/bulletin?period=November', 'period'],
      ['/api/bulletin?period=2026-11&scope=street:999', 'scope'],
      ['/api/bulletin?period=2026-11&format=doc', 'format'],
    ] as const) {
      const e = await errorOf(t.app, url);
      expect([e.status, e.parameters], url).toEqual([400, [parameter]]);
    }
  });

  it('defaults to the last full month', async () => {
    expect(lastFullMonth('2026-11-25')).toBe('2026-10');
    expect(lastFullMonth('2027-01-01')).toBe('2026-12');
    const json = await get<Bulletin>('/api/bulletin');
    expect(json.period.text).toBe('2026-10');
  });

  it('prints the same numbers in the print view and the PDF', async () => {
    const res = await t.app.request('/api/bulletin?period=2026-11&format=html');
    const html = await res.text();
    for (const h of b.headline) expect(html, h.label).toContain(`<td class="num">${figureText(h.value, h.unit)}</td>`);
    const printer = new PdfPrinter(CHROMIUM_PATH);
    const dir = mkdtempSync(join(tmpdir(), 'civgrid-bulletin-'));
    try {
      const pdf = await printer.print(html);
      writeFileSync(join(dir, 'b.pdf'), pdf);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'b.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('官渡区城市文明网格化管理工作通报');
      expect(text).toContain(`共上报问题${b.headline[0].value}件`);
      expect(text).toContain(figureText(b.headline.find((h) => h.key === 'onTimeRate')!.value, 'rate'));
    } finally {
      await printer.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('answers 503 naming the apt command when Chromium is missing', async () => {
    const printer = new PdfPrinter('/nonexistent/chromium');
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({ status: 503, message: expect.stringContaining('apt-get install -y chromium fonts-noto-cjk') });
  });
});

describe('with departments', () => {
  it('lists the 区直单位 as the department ranking answers, street offices left out', async () => {
    const d = await departmentCityApp();
    try {
      const withDepartments = await buildBulletin(d.deps, { scope: null, period: '2026-11' }, { templateDir: TEMPLATES });
      const res = await d.app.request(`/api/stats/ranking?level=department&n=100&from=${PERIOD.from}&to=${PERIOD.to}`);
      const ranking = (await res.json()) as { red: { code: string; rank: number; score: number }[] };
      const table = withDepartments.departments!;
      expect(table.rows.map((r) => r.code).sort()).toEqual(['CGJ', 'SJJ']);
      for (const e of ranking.red) expect(table.rows.find((r) => r.code === e.code)).toMatchObject({ rank: e.rank, score: e.score });
      expect(withDepartments.text.some((s) => s.section === 'departments')).toBe(true);
      expect(bulletinTables(withDepartments).some((x) => x.sheet === '区直单位红榜')).toBe(true);
    } finally {
      await d.cleanup();
    }
  });
});
