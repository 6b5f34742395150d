/**
 * The bulletin as a sequence of blocks — headings, paragraphs, tables with their cells already
 * written, images, photo pairs — in reading order. Every format walks these same blocks (the print
 * view and its PDF, the DOCX, the XLSX), so a column, its heading and how its numbers are written
 * are decided here once. Pure.
 */
import { formatDate } from '../../web/components/format.ts';
import { changeText, figureText, rankChangeText } from './format.ts';
import type { Bulletin, FigureUnit, MapImage, PhotoCase, UnitRow, UnitTable } from './model.ts';

/** A table cell: its text as printed and, for a numeric cell, the number (a rate as a fraction) for spreadsheets. */
export interface Cell {
  text: string;
  value: number | null;
  /** What the number is, for a figure in a column of mixed figures (the headline table). */
  unit?: FigureUnit;
}

/** A column: its heading and how its numbers are kept in a spreadsheet. */
export interface Column {
  label: string;
  unit: FigureUnit | 'text';
}

/** A table with a caption (表1 …) and a sheet name for the XLSX. */
export interface TableBlock {
  kind: 'table';
  /** Short and unique: the XLSX sheet's name (≤ 31 characters). */
  sheet: string;
  caption: string;
  columns: Column[];
  rows: Cell[][];
  /** Printed under the table (e.g. the units with nothing due). */
  note: string | null;
}

export type Block =
  | { kind: 'title'; text: string; number: string | null; period: string }
  | { kind: 'heading'; text: string }
  /** `sign`: a line of the signature (issuing office, date), set at the right as in any 公文. */
  | { kind: 'paragraph'; text: string; sign?: boolean }
  | TableBlock
  | { kind: 'image'; image: MapImage }
  | { kind: 'photos'; caption: string; cases: PhotoCase[] }
  | { kind: 'definitions'; items: { term: string; text: string }[]; asOf: string };

const text = (t: string | null | undefined): Cell => ({ text: t ?? '', value: null });
const fig = (v: number | null, unit: FigureUnit): Cell => ({ text: figureText(v, unit), value: v, unit });

/** The red list, the black list and every unit's row, as tables. */
function unitTables(t: UnitTable, sheetPrefix: string): TableBlock[] {
  const listColumns: Column[] = [
    { label: '名次', unit: 'count' }, { label: t.levelLabel, unit: 'text' }, { label: '综合得分', unit: 'score' },
    { label: '按期结案率', unit: 'rate' }, { label: '结案率', unit: 'rate' }, { label: '超期未结', unit: 'count' }, { label: '名次变化', unit: 'text' },
  ];
  const listRow = (r: UnitRow): Cell[] => [
    fig(r.rank, 'count'), text(r.name), fig(r.score, 'score'), fig(r.onTimeRate, 'rate'), fig(r.closureRate, 'rate'), fig(r.overdue, 'count'),
    text(rankChangeText(r.rankChange)),
  ];
  const nothingDue = t.nothingDue.length ? `期内无应结案件、不参与排名：${t.nothingDue.map((u) => u.name).join('、')}。` : null;
  return [
    { kind: 'table', sheet: `${sheetPrefix}红榜`, caption: `${t.levelLabel}红榜（综合得分前${t.red.length}名）`, columns: listColumns, rows: t.red.map(listRow), note: null },
    { kind: 'table', sheet: `${sheetPrefix}黑榜`, caption: `${t.levelLabel}黑榜（综合得分后${t.black.length}名）`, columns: listColumns, rows: t.black.map(listRow), note: nothingDue },
    {
      kind: 'table', sheet: `各${t.levelLabel}情况`.slice(0, 31), caption: `各${t.levelLabel}情况`,
      columns: [
        { label: '名次', unit: 'count' }, { label: t.levelLabel, unit: 'text' }, { label: '上报', unit: 'count' }, { label: '应结案', unit: 'count' },
        { label: '结案', unit: 'count' }, { label: '按期结案率', unit: 'rate' }, { label: '结案率', unit: 'rate' }, { label: '立行立改率', unit: 'rate' },
        { label: '返工率', unit: 'rate' }, { label: '超期未结', unit: 'count' }, { label: '综合得分', unit: 'score' }, { label: '名次变化', unit: 'text' },
      ],
      rows: t.rows.map((r) => [
        fig(r.rank, 'count'), text(r.name), fig(r.reported, 'count'), fig(r.due, 'count'), fig(r.closed, 'count'), fig(r.onTimeRate, 'rate'),
        fig(r.closureRate, 'rate'), fig(r.immediateRate, 'rate'), fig(r.reworkRate, 'rate'), fig(r.overdue, 'count'), fig(r.score, 'score'),
        text(r.rank === null ? '不参与排名' : rankChangeText(r.rankChange)),
      ]),
      note: '综合得分相同时按期结案率高者在前；无应结案件的单位不计分、不排名。',
    },
  ];
}

/** The tables, images and photos that follow each template section, by the section's name. */
function attachments(b: Bulletin): Record<string, Block[]> {
  const headline: TableBlock = {
    kind: 'table', sheet: '主要指标', caption: '主要指标',
    columns: [
      { label: '指标', unit: 'text' }, { label: '本期', unit: 'text' }, { label: '上期', unit: 'text' }, { label: '环比', unit: 'text' },
      { label: '上年同期', unit: 'text' }, { label: '同比', unit: 'text' },
    ],
    rows: b.headline.map((h) => [
      text(h.label), fig(h.value, h.unit), fig(h.previous, h.unit), text(changeText(h.changePrevious)), fig(h.lastYear, h.unit), text(changeText(h.changeLastYear)),
    ]),
    note: [b.compared.previous && `上期：${b.compared.previous.label}`, b.compared.lastYear && `上年同期：${b.compared.lastYear.label}`].filter(Boolean).join('；') || null,
  };
  const units = b.units ? unitTables(b.units, '') : [];
  const departments = b.departments ? unitTables(b.departments, '区直单位') : [];
  return {
    overview: [headline],
    ranking: units.slice(0, 2),
    units: [...units.slice(2), ...(b.maps.score ? [{ kind: 'image' as const, image: b.maps.score }] : [])],
    departments,
    categories: [
      {
        kind: 'table', sheet: '问题类型', caption: '问题类型（大类）',
        columns: [{ label: '问题大类', unit: 'text' }, { label: '上报', unit: 'count' }, { label: '上期', unit: 'count' }, { label: '环比', unit: 'text' }, { label: '超期未结', unit: 'count' }],
        rows: b.categories.map((c) => [
          text(c.name), fig(c.reported, 'count'), fig(c.previousReported, 'count'),
          text(c.changePct === null ? '—' : changeText({ value: c.changePct, kind: 'pct' })), fig(c.overdue, 'count'),
        ]),
        note: null,
      },
      ...(b.maps.heat ? [{ kind: 'image' as const, image: b.maps.heat }] : []),
    ],
    sites: [
      {
        kind: 'table', sheet: '重点点位类型', caption: '重点点位红黄绿灯',
        columns: [
          { label: '点位类型', unit: 'text' }, { label: '点位数', unit: 'count' }, { label: '红灯', unit: 'count' }, { label: '黄灯', unit: 'count' },
          { label: '绿灯', unit: 'count' }, { label: '未结', unit: 'count' }, { label: '超期未结', unit: 'count' },
        ],
        rows: b.siteTypes.map((t) => [text(t.name), fig(t.sites, 'count'), fig(t.red, 'count'), fig(t.amber, 'count'), fig(t.green, 'count'), fig(t.open, 'count'), fig(t.overdue, 'count')]),
        note: null,
      },
      ...(b.worstSites.length ? [{
        kind: 'table' as const, sheet: '超期未结最多的点位', caption: '超期未结最多的点位',
        columns: [
          { label: '点位', unit: 'text' }, { label: '类型', unit: 'text' }, { label: '所在街道', unit: 'text' }, { label: '责任单位', unit: 'text' },
          { label: '状态', unit: 'text' }, { label: '超期未结', unit: 'count' }, { label: '其中长期超期', unit: 'count' },
        ] satisfies Column[],
        rows: b.worstSites.map((s) => [
          text(s.name), text(s.typeName), text(s.place), text(s.accountable), text({ red: '红灯', amber: '黄灯', green: '绿灯' }[s.status]),
          fig(s.overdue, 'count'), fig(s.longOverdue, 'count'),
        ]),
        note: null,
      }] : []),
    ],
    overdue: b.oldestOverdue.length ? [{
      kind: 'table', sheet: '超期未结案件', caption: '超期最久的未结案件',
      columns: [
        { label: '编号', unit: 'text' }, { label: '所在单位', unit: 'text' }, { label: '问题类型', unit: 'text' }, { label: '地址', unit: 'text' },
        { label: '处置时限', unit: 'text' }, { label: '已超期', unit: 'text' }, { label: '网格', unit: 'text' }, { label: '网格员', unit: 'text' },
      ],
      rows: b.oldestOverdue.map((c) => [
        text(c.id), text(c.unit), text(c.category), text(c.address), text(formatDate(c.deadline, 'minute')),
        text(c.overdueFor.unit === 'days' ? `${c.overdueFor.n}天` : `${c.overdueFor.n}小时`), text(c.grid), text(c.inspector),
      ]),
      note: null,
    }] : [],
    photos: [
      ...(b.photos.pairs.length ? [{ kind: 'photos' as const, caption: '整改前后对比', cases: b.photos.pairs }] : []),
      ...(b.photos.worstOpen.length ? [{ kind: 'photos' as const, caption: '超期未结案件现场', cases: b.photos.worstOpen }] : []),
    ],
  };
}

/** The template section whose lines sign the bulletin (its first line is also the 红头's office). */
export const SIGNATURE_SECTION = 'signature';

/** The bulletin's blocks in reading order. */
export function bulletinBlocks(b: Bulletin): Block[] {
  const attached = attachments(b);
  const blocks: Block[] = [{ kind: 'title', text: b.title, number: b.number, period: b.period.label }];
  for (const section of b.text) {
    if (section.heading) blocks.push({ kind: 'heading', text: section.heading });
    const sign = section.section === SIGNATURE_SECTION;
    for (const p of section.paragraphs) blocks.push(sign ? { kind: 'paragraph', text: p.text, sign } : { kind: 'paragraph', text: p.text });
    blocks.push(...(attached[section.section] ?? []));
  }
  blocks.push({ kind: 'definitions', items: b.definitions, asOf: b.asOf });
  return blocks;
}

/** Every table of the bulletin (the XLSX's sheets), in reading order. */
export function bulletinTables(b: Bulletin): TableBlock[] {
  return bulletinBlocks(b).filter((x): x is TableBlock => x.kind === 'table');
}
