import { bulletinHtml } from '../../../server/bulletin/html.ts';
import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { renderBulletinDocx } from '../../../server/bulletin/docx.ts';
import { changeText, figureText, rankChangeText } from '../../../server/bulletin/format.ts';
import type { Bulletin, FigureUnit } from '../../../server/bulletin/model.ts';
import { renderBulletinXlsx } from '../../../server/bulletin/xlsx.ts';
import { cityApp, type TestApp } from '../../helpers/app.ts';
import { webp } from '../../helpers/photos.ts';
import { docxTables, docxText, novemberBulletin, zipEntry } from './helpers.ts';

type Kpis = Record<string, number | null>;
type Summary = { kpis: Kpis; previous: { kpis: Kpis } | null; change: { previous: Record<string, number | null> | null; lastYear: Record<string, number | null> | null } };
type Region = { properties: Kpis & { code: string; name: string } };
type Ranking = { red: { code: string; rank: number; rankChange: number | null; score: number }[]; black: { code: string; rank: number; rankChange: number | null; score: number }[] };

/** The headline figures as the API names them, with the change field and the unit. */
const HEADLINE: [string, string, string, FigureUnit][] = [
  ['上报', 'reported', 'reportedPct', 'count'], ['应结案', 'due', 'duePct', 'count'], ['结案', 'closed', 'closedPct', 'count'],
  ['按期结案率', 'onTimeRate', 'onTimeRatePts', 'rate'], ['结案率', 'closureRate', 'closureRatePts', 'rate'], ['超期未结', 'overdue', 'overduePct', 'count'],
  ['立行立改率', 'immediateRate', 'immediateRatePts', 'rate'], ['返工率', 'reworkRate', 'reworkRatePts', 'rate'], ['综合得分', 'score', 'scoreDelta', 'score'],
];
const kindOf = (field: string) => (field.endsWith('Pct') ? 'pct' : field.endsWith('Pts') ? 'pts' : 'abs') as 'pct' | 'pts' | 'abs';
/** A table of the document by the start of its caption. */
const tableOf = (xml: string, caption: string) => [...docxTables(xml)].find(([c]) => c.startsWith(caption))![1];

let t: TestApp;
let bulletin: Bulletin;
let summary: Summary;
let streets: Region[];
let ranking: Ranking;
const q = 'scope=district:530111&from=2026-11-01&to=2026-11-25';

beforeAll(async () => {
  t = await cityApp();
  bulletin = await novemberBulletin(t);
  const get = async <T>(path: string) => (await t.app.request(path)).json() as Promise<T>;
  summary = await get<Summary>(`/api/stats/summary?${q}`);
  streets = (await get<{ features: Region[] }>(`/api/regions?${q}&level=street`)).features;
  ranking = await get<Ranking>(`/api/stats/ranking?${q}&level=street&n=100`);
});
afterAll(() => t.cleanup());

describe('DOCX', () => {
  let xml: string;
  beforeAll(async () => {
    xml = await zipEntry(await renderBulletinDocx(bulletin), 'word/document.xml');
  });

  test('the headline table holds the API summary figures with 环比 and 同比', () => {
    expect(summary.kpis.reported).toBeGreaterThan(0);
    const rows = tableOf(xml, '主要指标');
    expect(rows[0]).toEqual(['指标', '本期', '上期', '环比', '上年同期', '同比']);
    expect(rows.slice(1)).toEqual(HEADLINE.map(([label, key, change, unit]) => [
      label, figureText(summary.kpis[key], unit), figureText(summary.previous?.kpis[key] ?? null, unit),
      changeText(summary.change.previous?.[change] == null ? null : { value: summary.change.previous[change]!, kind: kindOf(change) }),
      expect.any(String),
      changeText(summary.change.lastYear?.[change] == null ? null : { value: summary.change.lastYear[change]!, kind: kindOf(change) }),
    ]));
  });

  test('every street is a row with the regions answer and the ranking\'s rank change', () => {
    const rows = tableOf(xml, '各街道情况');
    expect(rows.length - 1).toBe(streets.length);
    const ranks = new Map([...ranking.red, ...ranking.black].map((r) => [r.code, r]));
    for (const s of streets) {
      const p = s.properties;
      const row = rows.find((r) => r[1] === p.name)!;
      const rank = ranks.get(p.code);
      expect(row).toEqual([
        rank ? String(rank.rank) : '—', p.name, figureText(p.reported, 'count'), figureText(p.due, 'count'), figureText(p.closed, 'count'),
        figureText(p.onTimeRate, 'rate'), figureText(p.closureRate, 'rate'), figureText(p.immediateRate, 'rate'), figureText(p.reworkRate, 'rate'),
        figureText(p.overdue, 'count'), figureText(p.score, 'score'), rank ? rankChangeText(rank.rankChange) : '不参与排名',
      ]);
    }
  });

  test('red and black lists, real headings, the map picture, the definitions and the as-of line', async () => {
    expect(tableOf(xml, '街道红榜')[1][1]).toBe(streets.find((s) => s.properties.code === ranking.red[0].code)!.properties.name);
    expect(tableOf(xml, '街道黑榜')[1][1]).toBe(streets.find((s) => s.properties.code === ranking.black[0].code)!.properties.name);
    expect(xml).toContain('<w:pStyle w:val="Title"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading1"/>');
    expect(xml).toContain('<w:pStyle w:val="Heading2"/>');
    expect(xml).toMatch(/<pic:pic/);
    const text = docxText(xml);
    expect(text).toContain('一、总体情况');
    expect(text).toContain('按期结案率：应结案中在处置时限内结案的件数');
    expect(text).toContain('指标口径');
    expect(text).toContain('数据截至 2026年11月25日12:00');
    const styles = await zipEntry(await renderBulletinDocx(bulletin), 'word/styles.xml');
    expect(styles).toContain('w:eastAsia="仿宋"');
    const doc = await zipEntry(await renderBulletinDocx(bulletin), 'word/document.xml');
    expect(doc).toContain('<w:pgSz w:w="11906" w:h="16838"');
  });

  test('the signature lines sit at the right, as in the print view', () => {
    const office = bulletin.text.find((x) => x.section === 'signature')!.paragraphs[0].text;
    const paragraph = xml.split('</w:p>').find((p) => p.includes(office))!;
    expect(paragraph).toContain('<w:jc w:val="right"/>');
    expect(bulletinHtml(bulletin, () => null)).toContain(`<p class="sign">${office}</p>`);
  });
});

test('photo pairs are inline pictures (WebP from the store re-encoded for Word); a photo not stored is left out', async () => {
  const ref = (hash: string, kind: 'before' | 'after') => ({ hash, kind, takenAt: null, flags: [], urls: { thumb: '', view: '' } });
  const withPhotos: Bulletin = {
    ...bulletin,
    text: [...bulletin.text, { section: 'photos', heading: '八、整改前后对比', paragraphs: [] }],
    photos: { pairs: [{ issueId: 'I01', category: '暴露垃圾', place: '关上街道', closedAt: null, before: ref('a'.repeat(64), 'before'), after: ref('b'.repeat(64), 'after') }], worstOpen: [] },
  };
  const stored = await webp();
  const bytes = await renderBulletinDocx(withPhotos, async (hash) => (hash.startsWith('a') ? stored : null));
  const names: string[] = [];
  await new Promise<void>((resolve, reject) => yauzl.fromBuffer(bytes, { lazyEntries: false }, (err, zip) => {
    if (err) return reject(err);
    zip.on('entry', (e: yauzl.Entry) => names.push(e.fileName));
    zip.on('end', () => resolve());
  }));
  expect(names.filter((n) => n.endsWith('.jpg'))).toHaveLength(1);
  const text = docxText(await zipEntry(bytes, 'word/document.xml'));
  expect(text).toContain('整改前　暴露垃圾　关上街道　（I01）');
  expect(text).toContain('（无照片）');
});

describe('XLSX', () => {
  let book: ExcelJS.Workbook;
  beforeAll(async () => {
    book = new ExcelJS.Workbook();
    await book.xlsx.load((await renderBulletinXlsx(bulletin)) as unknown as ArrayBuffer);
  });

  test('the headline sheet holds the API numbers as numbers', () => {
    const sheet = book.getWorksheet('主要指标')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    HEADLINE.forEach(([label, key, change], i) => {
      const row = sheet.getRow(i + 2);
      expect(row.getCell(1).value).toBe(label);
      expect(row.getCell(2).value).toBe(summary.kpis[key]);
      expect(row.getCell(3).value).toBe(summary.previous?.kpis[key] ?? null);
      // 环比 and 同比 are written in words, as in the document.
      const words = (c: number | null | undefined) => changeText(c == null ? null : { value: c, kind: kindOf(change) });
      expect(row.getCell(4).value).toBe(words(summary.change.previous?.[change]));
      expect(row.getCell(6).value).toBe(words(summary.change.lastYear?.[change]));
    });
    expect(sheet.getRow(5).getCell(2).numFmt).toBe('0.0%');
    expect(sheet.getColumn(1).width).toBeGreaterThan(8);
  });

  test('the streets sheet: one row per street with the regions answer', () => {
    const sheet = book.getWorksheet('各街道情况')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('街道');
    for (let r = 2; r <= streets.length + 1; r++) {
      const row = sheet.getRow(r);
      const p = streets.find((s) => s.properties.name === row.getCell(2).value)!.properties;
      expect([3, 4, 5, 6, 7, 8, 9, 10, 11].map((c) => row.getCell(c).value)).toEqual([
        p.reported, p.due, p.closed, p.onTimeRate, p.closureRate, p.immediateRate, p.reworkRate, p.overdue, p.score,
      ]);
    }
  });

  test('one sheet per table, and the definitions', () => {
    const names = book.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['主要指标', '红榜', '黑榜', '各街道情况', '问题类型', '重点点位类型', '超期未结最多的点位', '超期未结案件', '说明']));
  });
});
