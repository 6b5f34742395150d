/**
 * The bulletin's tables as a workbook: one sheet per table (layout.ts), figures as numbers with
 * number formats (a rate is the fraction the API answers, shown as %), the header row frozen and
 * the columns sized to their text, so an office can sort, sum and chart without retyping.
 */
import ExcelJS from 'exceljs';
import type { Bulletin, FigureUnit } from './model.ts';
import { bulletinTables } from './layout.ts';

/** Number formats of a column's unit: the spelling of format.ts, as Excel writes it. */
const NUMBER_FORMAT: Record<FigureUnit, string> = { count: '0', rate: '0.0%', score: '0.0', hours: '0.0"小时"' };

/** Display width of a text in Excel's character units (a CJK character is two). */
const widthOf = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e7f ? 2 : 1), 0);

/** Renders the tables of `b` as an .xlsx. */
export async function renderBulletinXlsx(b: Bulletin): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'civgrid';
  book.title = b.title;
  book.created = new Date(b.asOf);
  for (const t of bulletinTables(b)) {
    const sheet = book.addWorksheet(t.sheet.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(t.columns.map((c) => c.label)).font = { bold: true };
    // A figure is kept as the number (a rate as the fraction the API answers), text as text; a
    // figure without a number stays empty. The headline table mixes counts and rates in a column.
    for (const r of t.rows) {
      const row = sheet.addRow(r.map((c, i) => (c.unit || t.columns[i].unit !== 'text' ? c.value : c.text)));
      r.forEach((c, i) => {
        const unit = c.unit ?? t.columns[i].unit;
        if (unit !== 'text') row.getCell(i + 1).numFmt = NUMBER_FORMAT[unit];
      });
    }
    t.columns.forEach((c, i) => {
      const col = sheet.getColumn(i + 1);
      col.width = Math.min(60, Math.max(8, widthOf(c.label), ...t.rows.map((r) => widthOf(r[i].text))) + 2);
    });
    if (t.note) sheet.addRows([[], [t.note]]);
  }
  const info = book.addWorksheet('说明');
  info.addRow([b.title]).font = { bold: true };
  info.addRow([b.period.label]);
  if (b.number) info.addRow([b.number]);
  info.addRow([]);
  for (const d of b.definitions) info.addRow([d.term, d.text]);
  info.addRow([]);
  info.addRow(['数据截至', b.asOf, '数据版本', b.dataVersion]);
  info.getColumn(1).width = 14;
  info.getColumn(2).width = 90;
  return Buffer.from(await book.xlsx.writeBuffer());
}
